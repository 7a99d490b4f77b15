// Progress on stderr: without a terminal, one line per stage as it starts (never a
// line per update); notes escaped; with a terminal, a bar per stage whose Ctrl-C
// handler lives exactly as long as the bar.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProgress } from '../../../src/cli/progress.js';

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

test('plain stream: one line when a stage starts, none for its updates; notes escaped', () => {
  const { out, stream } = sink(false);
  const p = createProgress(stream);
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
    'spec-embed: σ = auto ...\n',
    'spec-embed: features (rows\\x1b[2J) ...\n',
    'spec-embed: accumulating covariance (chunks) ...\n',
    'spec-embed: kernel matrices ...\n',
    'spec-embed: eigen-solve (Lanczos) ...\n',
    'spec-embed: mode scores ...\n',
    'spec-embed: alignment ...\n',
    'spec-embed: report written to a\\x07.html\n',
  ]);
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
