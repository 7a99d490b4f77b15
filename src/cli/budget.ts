// Library refusals that name library options, re-spelt with the CLI's flags.
import { OutputBudgetError, outputBudgetMessage } from '../score/modes.js';
import { UsageError } from './args.js';

/** Runs `f`; the output-budget refusal comes back naming --top and --samples-per-mode. */
export async function withFlagNames<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof OutputBudgetError) {
      throw new UsageError(outputBudgetMessage(e.topK, e.samplesPerMode, e.dim, e.rows, { topK: '--top', samplesPerMode: '--samples-per-mode' }));
    }
    throw e;
  }
}

/** A result note with the library's option names spelt as flags ("topK = 9" → "--top 9"). */
export function flagNote(note: string): string {
  return note
    .replace(/^topK = /, '--top ')
    .replace(/^samplesPerMode = /, '--samples-per-mode ')
    .replace(/^rffDim = (\d+) of kernel([XY])/, "--rff-dim $1 ($2's kernel)")
    .replace(/^rffDim = (\d+)/, '--rff-dim $1');
}
