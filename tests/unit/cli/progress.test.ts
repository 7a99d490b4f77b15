// Progress on stderr: a bar per stage, side, purpose and unit, named by side and
// purpose. Without a terminal, lines with a percent when a bar starts and ends and
// at most every PLAIN_EVERY_MS between (counted on a fake clock, never timed);
// notes escaped; with a terminal, a cli-progress bar whose Ctrl-C handler lives
// exactly as long as the bar.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { barKey, barName, createProgress, PLAIN_EVERY_MS, unitOf } from '../../../src/cli/progress.js';
import type { ProgressEvent } from '../../../src/types/index.js';

function sink(tty: boolean) {
  const out: string[] = [];
  const stream = {
    isTTY: tty,
    columns: 100,
    write: (s: string) => {
      out.push(String(s));
      return true;
    },
    on() {
      return this;
    },
    removeListener() {
      return this;
    },
  };
  return { out, stream: stream as unknown as NodeJS.WriteStream };
}

test('plain stream: a line with a percent when a bar starts and when it ends, none for its updates; notes escaped', () => {
  const { out, stream } = sink(false);
  const p = createProgress(stream, false, () => 0);
  p.onProgress({ stage: 'sigma', done: 0, total: 10 });
  p.onProgress({ stage: 'sigma', done: 5, total: 10 });
  p.onProgress({ stage: 'features', done: 0, total: 0, message: 'rows\x1b[2J' });
  p.onProgress({ stage: 'accumulate', done: 3, total: 9, message: 'chunks' });
  p.onProgress({ stage: 'accumulate', done: 9, total: 9 });
  p.onProgress({ stage: 'gram', done: 1, total: 2 });
  p.onProgress({ stage: 'solve', done: 1, total: 2, message: 'Lanczos' });
  p.onProgress({ stage: 'scores', done: 1, total: 2 });
  p.onProgress({ stage: 'align', done: 1, total: 2 });
  p.note('report written to a\x07.html');
  p.stop();
  assert.deepEqual(out, [
    'spec-embed: σ = auto ... 0%\n',
    'spec-embed: σ = auto done (5/10)\n',
    // total 0 counts as one unit
    'spec-embed: features (rows\\x1b[2J) ... 0%\n',
    'spec-embed: features done (0/1 rows\\x1b[2J)\n',
    'spec-embed: accumulating covariance (chunks) ... 33%\n',
    // the same stage, now without a message: another unit, so another bar
    'spec-embed: accumulating covariance done (3/9 chunks)\n',
    'spec-embed: accumulating covariance ... 100%\n',
    'spec-embed: kernel matrices ... 50%\n',
    'spec-embed: kernel matrices done (1/2)\n',
    'spec-embed: eigen-solve (Lanczos) ... 50%\n',
    'spec-embed: eigen-solve done (1/2 Lanczos)\n',
    'spec-embed: mode scores ... 50%\n',
    'spec-embed: mode scores done (1/2)\n',
    'spec-embed: alignment ... 50%\n',
    'spec-embed: report written to a\\x07.html\n',
  ]);
});

test('bar names: the side and purpose, else the stage; one bar per stage, side, purpose and unit', () => {
  assert.equal(barName({ stage: 'sigma', done: 0, total: 1, side: 'X', label: 'σ sample' }), 'X: σ sample');
  assert.equal(barName({ stage: 'features', done: 0, total: 1, side: 'Y' }), 'Y: features');
  assert.equal(barName({ stage: 'gram', done: 0, total: 1, side: 'X' }), 'X: kernel matrix');
  assert.equal(barName({ stage: 'gram', done: 0, total: 1 }), 'kernel matrices');
  assert.equal(barName({ stage: 'solve', done: 0, total: 1, message: 'Cholesky pivots' }), 'eigen-solve');
  assert.equal(barName({ stage: 'report', done: 0, total: 1, label: 'report: evidence' }), 'report: evidence');
  assert.equal(unitOf('Lanczos: 40 steps, restart 1 (stops when converged)'), 'Lanczos');
  assert.equal(unitOf(undefined), '');
  const key = (e: Partial<ProgressEvent>) => barKey({ stage: 'solve', done: 0, total: 1, ...e });
  assert.equal(
    key({ message: 'Lanczos: 2 steps' }),
    key({ message: 'Lanczos: 9 steps', done: 3, total: 300 }),
    'a new message of the same unit is the same bar',
  );
  assert.notEqual(key({ message: 'Cholesky pivots' }), key({ message: 'Lanczos: 2 steps' }), 'another unit is another bar');
  assert.notEqual(barKey({ stage: 'features', done: 0, total: 1, side: 'X' }), barKey({ stage: 'features', done: 0, total: 1, side: 'Y' }));
});

test('plain stream: while a bar runs, a percent line at most every PLAIN_EVERY_MS (counted on a fake clock)', () => {
  const { out, stream } = sink(false);
  let clock = 0;
  const p = createProgress(stream, false, () => clock);
  // 1000 updates 100 ms apart: 100 s of work, so at most one line per 10 s
  for (let done = 0; done <= 1000; done++) {
    clock = done * 100;
    p.onProgress({ stage: 'features', done, total: 1000, side: 'X', message: 'rows' });
  }
  p.onProgress({ stage: 'features', done: 0, total: 500, side: 'Y', message: 'rows' });
  const x = out.filter((l) => l.startsWith('spec-embed: X: features'));
  assert.equal(x[0], 'spec-embed: X: features (rows) ... 0%\n', 'the start line');
  assert.equal(x.at(-1), 'spec-embed: X: features 100% (1000/1000 rows)\n', 'the end line');
  const middle = x.slice(1, -1);
  assert.equal(middle.length, Math.floor((1000 * 100) / PLAIN_EVERY_MS) - 1, 'one line per interval, not one per update');
  for (const l of middle) assert.match(l, /^spec-embed: X: features \d+% \(\d+\/1000 rows\)\n$/);
  // percents rise, in one unit
  const pct = middle.map((l) => Number(/ (\d+)%/.exec(l)![1]));
  for (let i = 1; i < pct.length; i++) assert.ok(pct[i] > pct[i - 1]);
  assert.equal(out.at(-1), 'spec-embed: Y: features (rows) ... 0%\n', 'the next side starts its own bar');
});

test('terminal: a bar per stage; the SIGINT handler is added with the bar and removed by stop()', () => {
  const { out, stream } = sink(true);
  const before = process.listenerCount('SIGINT');
  const p = createProgress(stream, true);
  p.onProgress({ stage: 'accumulate', done: 0, total: 4 });
  assert.equal(process.listenerCount('SIGINT'), before + 1);
  p.onProgress({ stage: 'accumulate', done: 2, total: 4 });
  p.onProgress({ stage: 'solve', done: 1, total: 3 });
  assert.equal(process.listenerCount('SIGINT'), before + 1, 'one handler for the one live bar');
  p.note('hello');
  p.stop();
  assert.equal(process.listenerCount('SIGINT'), before);
  p.stop();
  assert.equal(process.listenerCount('SIGINT'), before, 'stop twice is harmless');
  const text = out.join('');
  assert.ok(text.includes('accumulating covariance'), 'the first bar is labelled');
  assert.ok(text.includes('eigen-solve'), 'the second bar is labelled');
  assert.ok(text.includes('\nspec-embed: hello\n'), 'a note goes on its own line');
  assert.ok(!text.includes('spec-embed: accumulating'), 'no plain stage lines on a terminal');
});
