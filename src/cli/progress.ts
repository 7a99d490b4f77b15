// Progress on stderr, fed from CompareOptions.onProgress (and the report's
// stage 'report'). A bar is one run of a stage for one side and purpose, in one
// unit ("X: features", "eigen-solve (Lanczos)", "report: evidence"): a cli-progress
// bar when stderr is a terminal; otherwise plain lines with a percent — when the
// bar starts, at most every PLAIN_EVERY_MS while it runs, and when it ends.
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

/** Without a terminal, a running bar prints a percent line at most this often. */
export const PLAIN_EVERY_MS = 10_000;

const STAGE_NAMES: Record<ProgressEvent['stage'], string> = {
  sigma: 'σ = auto',
  features: 'features',
  accumulate: 'accumulating covariance',
  gram: 'kernel matrices',
  solve: 'eigen-solve',
  scores: 'mode scores',
  rffError: 'random-feature error on a sample',
  align: 'alignment',
  metrics: 'metrics: CKA, k-NN, MMD²',
  significance: 'significance: resamples, permutations',
  report: 'report',
};

/** Names of a stage run for one side ("X: kernel matrix"), where the plural name would mislead. */
const SIDE_NAMES: Partial<Record<ProgressEvent['stage'], string>> = { gram: 'kernel matrix', sigma: 'σ sample' };

/** What the bar counts: the message up to any ':' ("Lanczos: 40 steps, restart 1" counts Lanczos restarts). */
export function unitOf(message: string | undefined): string {
  return (message ?? '').split(':')[0].trim();
}

/** The bar's name: side and purpose ("X: σ sample", "Y: features", "report: evidence"), else the stage's name. */
export function barName(e: ProgressEvent): string {
  const what = e.label ?? (e.side ? (SIDE_NAMES[e.stage] ?? STAGE_NAMES[e.stage]) : STAGE_NAMES[e.stage]) ?? e.stage;
  return e.side ? `${e.side}: ${what}` : what;
}

/** One bar per stage, side, purpose and unit: a change of any starts a new bar. */
export const barKey = (e: ProgressEvent): string => `${e.stage}|${e.side ?? ''}|${e.label ?? ''}|${unitOf(e.message)}`;

const percent = (done: number, total: number) => `${Math.floor((100 * Math.min(done, total)) / Math.max(total, 1))}%`;

export function createProgress(
  stream: NodeJS.WriteStream = process.stderr,
  tty = Boolean(stream.isTTY),
  now: () => number = () => performance.now(),
): Progress {
  let key: string | undefined;
  let bar: cliProgress.SingleBar | undefined;
  // Without a terminal: the live bar's name, unit, last event, time of its last line, and whether its end was printed.
  let plain: { name: string; unit: string; done: number; total: number; at: number; ended: boolean } | undefined;

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
  const counts = (p: NonNullable<typeof plain>) => `(${p.done}/${p.total}${p.unit ? ` ${escapeUnsafe(p.unit)}` : ''})`;
  const plainLine = (p: NonNullable<typeof plain>) => stream.write(`spec-embed: ${escapeUnsafe(p.name)} ${percent(p.done, p.total)} ${counts(p)}\n`);
  // A new bar means the previous one is done (an iteration may stop early on convergence).
  const endPlain = () => {
    if (plain && !plain.ended) {
      plain.ended = true;
      // ended short of its total (e.g. Lanczos converged): say so, with where it stopped
      if (plain.done < plain.total) stream.write(`spec-embed: ${escapeUnsafe(plain.name)} done ${counts(plain)}\n`);
    }
  };

  return {
    onProgress(e) {
      const total = Math.max(1, e.total);
      const done = Math.max(0, Math.min(e.done, total));
      const k = barKey(e);
      const name = barName(e),
        unit = unitOf(e.message);
      if (tty) {
        if (key !== k || !bar) {
          if (bar) bar.update(bar.getTotal());
          stopBar();
          key = k;
          bar = new cliProgress.SingleBar(
            {
              stream,
              format: `  ${escapeUnsafe(name).padEnd(28)} {bar} {percentage}% | {value}/{total}${unit ? ` ${escapeUnsafe(unit)}` : ''}`,
              barsize: 30,
              hideCursor: true,
              clearOnComplete: false,
              etaBuffer: 20,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(total, done);
          process.once('SIGINT', onSigint);
        } else {
          bar.setTotal(total);
          bar.update(done);
        }
        return;
      }
      const t = now();
      if (key !== k || !plain) {
        endPlain();
        key = k;
        plain = { name, unit, done, total, at: t, ended: false };
        stream.write(`spec-embed: ${escapeUnsafe(name)}${unit ? ` (${escapeUnsafe(unit)})` : ''} ... ${percent(done, total)}\n`);
        if (done >= total) plain.ended = true;
        return;
      }
      plain.done = done;
      plain.total = total;
      if (plain.ended) return;
      if (done >= total) {
        plain.ended = true;
        plainLine(plain);
      } else if (t - plain.at >= PLAIN_EVERY_MS) {
        plain.at = t;
        plainLine(plain);
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
