// FincSums (src/sums/finc-sums.ts), its own parts: the refusal of D beyond wasm
// memory (naming rffDim or d), the two sets added in any order under one map
// (SX = ΣφφᵀX, SY = ΣφφᵀY formed here in f64), setOf, the options, the snapshot
// round trip and its header checks, and the scoring pass of one side.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../src/index.js';
import { FincSums, setOf } from '../../../src/sums/finc-sums.js';
import { MAX_COVARIANCE_DIM } from '../../../src/sums/sums.js';
import { writeSnapshot } from '../../../src/sums/snapshot.js';
import { ScorePass } from '../../../src/sums/score-pass.js';
import { resolveKernel } from '../../../src/features/kernel.js';
import { formatBytes } from '../../../src/wasm/memory.js';
import { drain } from '../../../src/runtime/cooperative.js';
import { InputError } from '../../../src/errors.js';
import { unitRows } from '../../property/helpers/reference.js';
import { randomF32 } from '../../shared/rng.mjs';

await init();

const mat = (rows: number, cols: number, seed: number) => ({ data: randomF32(rows * cols, seed), rows, cols });
const inputError = (message: string) => (e: unknown) => e instanceof InputError && e.message === message;
const part = (m: ReturnType<typeof mat>, a: number, b: number) => ({ data: m.data.subarray(a * m.cols, b * m.cols), rows: b - a, cols: m.cols });

test('setOf: X is set 0, Y set 1', () => {
  assert.deepEqual([setOf('x'), setOf('y')], [0, 1]);
});

test('D beyond one allocation is refused before anything is allocated, naming what made it', () => {
  const D = MAX_COVARIANCE_DIM + 1,
    need = formatBytes(D * D * 8);
  assert.throws(
    () => FincSums.fromOptions({ kernel: 'cosine', d: D }),
    inputError(
      `d = ${D} under the cosine kernel gives D = ${D} features: each of the two D × D f64 covariances would need ${need}, more than one WebAssembly allocation holds (D ≤ ${MAX_COVARIANCE_DIM})`,
    ),
  );
  const m = 6000,
    G = 2 * m;
  assert.throws(
    () => FincSums.of(resolveKernel({ type: 'gaussian', sigma: 1, rffDim: m }, ''), 1, 0, { cols: 3, name: 'a.npy' }, { name: 'b.npy' }),
    inputError(
      `rffDim of kernel = ${m} gives D = ${G} features: each of the two D × D f64 covariances would need ${formatBytes(G * G * 8)}, more than one WebAssembly allocation holds (D ≤ ${MAX_COVARIANCE_DIM})`,
    ),
  );
  assert.throws(() => FincSums.fromOptions({ d: 0 }), inputError('d must be an integer ≥ 1, got 0'));
  assert.throws(
    () => FincSums.fromOptions({ d: 3, kernel: 'gaussian' }),
    inputError('kernel: the accumulator needs a numeric sigma (use estimateSigma on a sample first)'),
  );
});

test('X and Y interleaved in chunks: SX and SY are the sums of φφᵀ of each set (cosine: unit rows)', () => {
  const d = 5,
    X = mat(70, d, 1),
    Y = mat(40, d, 2);
  const s = FincSums.fromOptions({ kernel: 'cosine', d, eta: 0.3 });
  try {
    drain(s.addSteps(part(Y, 0, 15), 'y'));
    drain(s.addSteps(part(X, 0, 33), 'x'));
    drain(s.addSteps(part(X, 33, 70), 'x'));
    drain(s.addSteps(part(Y, 15, 40), 'y'));
    assert.deepEqual([s.nx, s.ny, s.D], [70, 40, 5]);
    const [SX, SY] = s.takeSums();
    for (const [S, M] of [
      [SX, X],
      [SY, Y],
    ] as const) {
      // features are the f32 unit rows
      const U = Float64Array.from(unitRows(M), Math.fround);
      for (let a = 0; a < d; a++)
        for (let b = a; b < d; b++) {
          let t = 0;
          for (let r = 0; r < M.rows; r++) t += U[r * d + a] * U[r * d + b];
          assert.ok(Math.abs(S[a * d + b] - t) < 1e-6 * M.rows, `(${a}, ${b}): ${S[a * d + b]} vs ${t}`);
        }
    }
    // the wrong width is refused naming the set
    assert.throws(() => drain(s.addSteps(mat(2, 4, 3), 'y')), inputError(`Y: has 4 columns, the accumulator was made for d = ${d}`));
  } finally {
    s.dispose();
  }
});

test('serialize / deserialize: nx, ny and both sums kept; a header with a negative count or another D refused', () => {
  const s = FincSums.fromOptions({ kernel: 'linear', d: 3, eta: 2, seed: 4 });
  try {
    drain(s.addSteps(mat(9, 3, 1), 'x'));
    drain(s.addSteps(mat(4, 3, 2), 'y'));
    const back = FincSums.deserialize(s.serialize());
    assert.deepEqual([back.nx, back.ny, back.eta, back.seed, back.d], [9, 4, 2, 4, 3]);
    assert.deepEqual(back.takeSums(), s.takeSums());
    back.dispose();
  } finally {
    s.dispose();
  }
  const D = 3,
    m = { view: new Float64Array(D * D) } as any;
  const snap = (h: object) => writeSnapshot('FINCACC', 2, { kernel: 'linear', eta: 1, seed: 0, d: 3, nx: 1, ny: 1, D, ...h }, [m, m], D);
  assert.throws(
    () => FincSums.deserialize(snap({ nx: -1 })),
    (e: unknown) => e instanceof InputError && /^not a spec-embed FINC accumulator snapshot: /.test(e.message),
  );
  assert.throws(
    () => FincSums.deserialize(snap({ d: 4 })),
    (e: unknown) => e instanceof InputError && /^not a spec-embed FINC accumulator snapshot: /.test(e.message),
  );
  assert.throws(() => FincSums.deserialize(writeSnapshot('SPECACC', 2, {}, [], 1)), inputError('not a spec-embed FINC accumulator snapshot: bad magic'));
});

test("scoreSteps scores one side's rows (Y's here) through its own pass, and refuses more rows than were added", () => {
  const d = 3,
    X = mat(20, d, 5),
    Y = mat(12, d, 6);
  const s = FincSums.fromOptions({ kernel: 'linear', d });
  try {
    drain(s.addSteps(X, 'x'));
    drain(s.addSteps(Y, 'y'));
    const V = new Float32Array([0, 0, 1]);
    const got: number[] = [];
    const sink = {
      addRows: (b: Float32Array, rows: number) => {
        for (let i = 0; i < rows; i++) got.push(b[i]);
      },
    };
    const pass = new ScorePass(s, 1, { V, k: 1, scale: 1 }, sink as any, Y.rows);
    drain(s.scoreSteps(pass, part(Y, 0, 5)));
    drain(s.scoreSteps(pass, part(Y, 5, 12)));
    assert.deepEqual(
      got,
      Array.from({ length: 12 }, (_, i) => Y.data[i * d + 2]),
    );
    assert.throws(() => drain(s.scoreSteps(pass, part(Y, 0, 1))), inputError('scoresY() received more rows (13) than addY() did (12)'));
  } finally {
    s.dispose();
  }
});
