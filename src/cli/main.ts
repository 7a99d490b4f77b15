// The spec-embed command line. Commands arrive with the CLI issue.
import { VERSION } from '../version.js';

const args = process.argv.slice(2);
if (args[0] === '--version' || args[0] === '-v') {
  process.stdout.write(`${VERSION}\n`);
} else {
  process.stderr.write('spec-embed: usage: spec-embed <compare|demo> ... (see --help)\n');
  process.exitCode = 2;
}
