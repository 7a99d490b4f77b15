// What main.ts needs to know about a command; one file per command in commands/.
import type { OptionSpec, ParsedArgs } from './args.js';

export interface Command {
  name: string;
  /** One line for the top-level help. */
  summary: string;
  /** The usage block printed by `spec-embed <command> --help`, above the option list. */
  usage: string;
  /** Printed after the option list. */
  notes?: string;
  options: OptionSpec[];
  /** Positional argument limits (checked by main before run). */
  positionals: { min: number; max: number; names: string };
  /** Returns the exit code. Throws UsageError / InputError for exit 2. */
  run(args: ParsedArgs): Promise<number>;
}
