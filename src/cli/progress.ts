// Progress on stderr, fed from CompareOptions.onProgress. A cli-progress bar per
// stage when stderr is a terminal; otherwise one plain line when a stage starts.
// Never writes to stdout.
import cliProgress from 'cli-progress';
import type { ProgressEvent } from '../types/index.js';
import { escapeUnsafe } from '../io/quote.js';

export interface Progress {
  onProgress(e: ProgressEvent): void;
  /** A line for the user (on stderr), printed above any live bar. */
  note(message: string): void;
  /** Ends any live bar; call before printing results or errors. */
  stop(): void;
}

const STAGE_NAMES: Record<ProgressEvent['stage'], string> = {
  sigma: 'σ = auto',
  features: 'features',
  accumulate: 'accumulating covariance',
  gram: 'kernel matrices',
  solve: 'eigen-solve',
  scores: 'mode scores',
  rffError: 'random-feature error on a sample',
  align: 'alignment',
  metrics: 'metrics (CKA, k-NN, MMD²)',
  significance: 'permutation tests',
};

export function createProgress(stream: NodeJS.WriteStream = process.stderr, tty = Boolean(stream.isTTY)): Progress {
  let stage: string | undefined;
  let bar: cliProgress.SingleBar | undefined;

  // Ctrl-C while a bar is drawn: restore the cursor cli-progress hid, then exit 130.
  const onSigint = () => {
    stopBar();
    stream.write('spec-embed: interrupted\n');
    process.exit(130);
  };
  const stopBar = () => {
    if (bar) {
      bar.stop();
      bar = undefined;
      process.removeListener('SIGINT', onSigint);
    }
  };

  return {
    onProgress(e) {
      const name = STAGE_NAMES[e.stage] ?? e.stage;
      const total = Math.max(1, e.total);
      if (tty) {
        if (stage !== e.stage || !bar) {
          // A new stage means the previous one is done (an iteration may stop early on convergence).
          if (bar) bar.update(bar.getTotal());
          stopBar();
          stage = e.stage;
          bar = new cliProgress.SingleBar(
            {
              stream,
              format: `  ${name.padEnd(24)} {bar} {percentage}% | {value}/{total}`,
              barsize: 30,
              hideCursor: true,
              clearOnComplete: false,
              etaBuffer: 20,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(total, Math.min(e.done, total));
          process.once('SIGINT', onSigint);
        } else {
          bar.setTotal(total);
          bar.update(Math.min(e.done, total));
        }
        return;
      }
      if (stage !== e.stage) {
        stage = e.stage;
        stream.write(`spec-embed: ${name}${e.message ? ` (${escapeUnsafe(e.message)})` : ''} ...\n`);
      }
    },
    note(message) {
      if (bar) {
        // cli-progress redraws on the next update; a note goes on its own line.
        stream.write('\n');
      }
      // Notes name files ("report written to …"): no control characters reach the terminal.
      stream.write(`spec-embed: ${escapeUnsafe(message)}\n`);
    },
    stop: stopBar,
  };
}
