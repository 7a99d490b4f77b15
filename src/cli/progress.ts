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
  significance: 'resampling (significance)',
};

/** The resampling loops' cost is announced when it is estimated above this many seconds. */
export const ANNOUNCE_SECONDS = 10;

/**
 * The estimated seconds of a resampling loop from its first resample: `start` is the time
 * of its first 'resamples' event, `now` that of the first with done ≥ 1.
 */
export function resamplingEstimate(start: number, now: number, total: number): number {
  return ((now - start) / 1000) * total;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr, tty = Boolean(stream.isTTY)): Progress {
  let stage: string | undefined;
  let bar: cliProgress.SingleBar | undefined;
  let resampleStart = -1,
    announced = false;

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
      if (e.stage === 'significance' && e.message === 'resamples' && !announced) {
        if (resampleStart < 0) resampleStart = performance.now();
        else if (e.done >= 1) {
          announced = true;
          const est = resamplingEstimate(resampleStart, performance.now(), e.total);
          if (est > ANNOUNCE_SECONDS)
            stream.write(`${bar ? '\n' : ''}spec-embed: significance: ${e.total} resamples will take about ${Math.round(est)} s (estimated from the first)\n`);
        }
      }
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
