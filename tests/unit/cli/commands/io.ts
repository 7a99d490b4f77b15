// Runs a command in process with stdout and stderr captured (not a test file).
import { parseArgs } from '../../../../src/cli/args.js';
import type { Command } from '../../../../src/cli/command.js';

export interface Run {
  code: number;
  out: string;
  err: string;
}

export async function runCommand(command: Command, argv: string[]): Promise<Run> {
  const out: string[] = [],
    err: string[] = [];
  const ow = process.stdout.write,
    ew = process.stderr.write;
  // Only text is captured: the test runner reports to its parent through stdout in binary frames.
  process.stdout.write = ((s: string | Uint8Array, ...rest: never[]) => {
    if (typeof s !== 'string') return ow.call(process.stdout, s, ...rest);
    out.push(s);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array, ...rest: never[]) => {
    if (typeof s !== 'string') return ew.call(process.stderr, s, ...rest);
    err.push(s);
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await command.run(parseArgs(argv, command.options, command.name));
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
}
