// The spec-embed command line (docs/design.md §3). Dispatches to one file per command.
import { InputError } from '../errors.js';
import { VERSION } from '../version.js';
import { escapeUnsafe } from '../io/quote.js';
import { UsageError, formatOptions, nearest, parseArgs } from './args.js';
import type { Command } from './command.js';
import { alignCommand } from './commands/align.js';
import { appCommand } from './commands/app.js';
import { compareCommand } from './commands/compare.js';
import { demoCommand } from './commands/demo.js';
import { fincCommand } from './commands/finc.js';
import { accumulateCommand, mergeCommand, sigmaSampleCommand, solveCommand } from './commands/shard-steps.js';
import { finishCommand, scoreCommand } from './commands/shard-finish.js';

const COMMANDS: Command[] = [
  compareCommand,
  fincCommand,
  alignCommand,
  demoCommand,
  appCommand,
  sigmaSampleCommand,
  accumulateCommand,
  mergeCommand,
  solveCommand,
  scoreCommand,
  finishCommand,
];

function topHelp(): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return `spec-embed ${VERSION}: explain how two embeddings of the same samples differ (SPEC).

usage: spec-embed <command> [options]

commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(w)}${c.summary}`).join('\n')}

  spec-embed <command> --help   options of a command
  spec-embed --version          print the version
`;
}

function commandHelp(c: Command): string {
  return `${c.usage}\n\noptions:\n${formatOptions([...c.options, { name: 'help', help: 'print this help' }])}\n${c.notes ? `\n${c.notes}\n` : ''}`;
}

/**
 * One line, safe for a terminal: errors never spill over several lines of stderr, and a
 * file name or argument in the message cannot clear the screen or reorder the line
 * (control and bidi characters are shown as \xNN / \uNNNN). Every error passes here.
 */
function oneLine(s: string): string {
  return escapeUnsafe(s.replace(/\s*\n\s*/g, ' ').replace(/^spec-embed:\s*/, ''));
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined) {
      process.stderr.write(`spec-embed: missing command (${COMMANDS.map((c) => c.name).join(', ')}); see 'spec-embed --help'\n`);
      return 2;
    }
    if (name === '--version' || name === '-V' || name === 'version') {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    if (name === '--help' || name === '-h' || name === 'help') {
      const target = name === 'help' && rest[0] ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
      if (name === 'help' && rest[0] && !target) throw new UsageError(`unknown command '${rest[0]}'`);
      process.stdout.write(target ? commandHelp(target) : topHelp());
      return 0;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) {
      const near = nearest(
        name,
        COMMANDS.map((c) => c.name),
      );
      if (near) throw new UsageError(`unknown command '${name}'; did you mean ${near.map((n) => `'${n}'`).join(' or ')}?`);
      throw new UsageError(`unknown command '${name}' (commands: ${COMMANDS.map((c) => c.name).join(', ')}; see 'spec-embed --help')`);
    }
    const args = parseArgs(rest, command.options, command.name);
    if (args.help) {
      process.stdout.write(commandHelp(command));
      return 0;
    }
    const { min, max, names } = command.positionals;
    if (args.positionals.length < min || args.positionals.length > max) {
      const got = args.positionals.length;
      throw new UsageError(
        `${command.name} takes ${names}, got ${got} argument${got === 1 ? '' : 's'}${got ? ` (${args.positionals.join(' ')})` : ''}; see 'spec-embed ${command.name} --help'`,
      );
    }
    return await command.run(args);
  } catch (err) {
    // InputError: bad input. A RangeError naming WebAssembly memory is a request larger than
    // wasm can hold (bad input too, docs/design.md §3); any other RangeError (a solver that did
    // not converge, an internal bound) is our fault: exit 1.
    const tooLarge = err instanceof RangeError && /^spec-embed:.*WebAssembly (memory|allocation)/.test(err.message);
    if (err instanceof UsageError || err instanceof InputError || tooLarge) {
      process.stderr.write(`spec-embed: ${oneLine(err.message)}\n`);
      return 2;
    }
    const e = err as Error;
    process.stderr.write(`spec-embed: internal error: ${oneLine(e?.message ?? String(err))}\n`);
    if (process.env.SPEC_EMBED_DEBUG && e?.stack) process.stderr.write(`${e.stack}\n`);
    return 1;
  }
}

// stdout closed early (e.g. `| head`): stop quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`spec-embed: internal error: ${oneLine(String(err))}\n`);
    process.exitCode = 1;
  },
);
