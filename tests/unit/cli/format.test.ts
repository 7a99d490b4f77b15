// The human table of compare (stdout without --json): the exact text for a
// hand-built result, with and without labels (both ends of a contrast, the end
// that holds a cluster), and terminal safety of names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agreementLines, endsText, formatHuman, kernelText, labelSummary, modeSummaryLines, terminalSafe } from '../../../src/cli/format.js';
import { NO_ENDS, specResult } from './results.js';

test('formatHuman: the exact table, SPEC-diff, kernels, η, method and timings', () => {
  assert.equal(
    formatHuman(specResult(), { xName: 'x.npy', yName: 'y.npy' }),
    [
      'SPEC modes of X = x.npy vs Y = y.npy, n = 6',
      '',
      'side  rank  eigenvalue  share  kind      samples (indices)',
      'x        1      0.7500    75%  contrast  2, 0, 5 vs 3, 1',
      'y        1     -0.2500    25%  cluster   4',
      '',
      'side x: groups X clusters more tightly than Y (λ > 0); side y: the reverse (λ < 0).',
      'kind: cluster — one end holds the mode (its samples shown); contrast — both ends do (top vs bottom); diffuse — neither end stands out (top samples shown).',
      'share: |λ| over the sum of |λ| of the modes listed.',
      '',
      'SPEC-diff   x-not-y 0.7500   y-not-x 0.2500   norm 0.7500',
      'kernel X    cosine',
      'kernel Y    gaussian σ = 0.5000, 100 random Fourier frequencies',
      'η           1',
      'method      exact — n = 6 ≤ 4000',
      'timings     read 1.0 ms · solve 0.50 s · total 1.25 s',
      '',
    ].join('\n'),
  );
});

test('formatHuman: labels (escaped), σ auto, the noise line, and names that could drive a terminal', () => {
  const labels = ['dog', 'z', 'cat', 'q', '\x1b[31m', 'cat'];
  const text = formatHuman(specResult({ noiseDropped: 2, methodReason: '' }), {
    xName: 'x\x1b[2J.npy',
    yName: 'y\u202e.npy',
    labels,
    sigmaAutoY: true,
  });
  const lines = text.split('\n');
  assert.equal(lines[0], 'SPEC modes of X = x\\x1b[2J.npy vs Y = y\\u202e.npy, n = 6');
  assert.deepEqual(lines.slice(2, 5), [
    'side  rank  eigenvalue  share  kind      samples (labels)',
    'x        1      0.7500    75%  contrast  cat (67%), dog (33%) vs q (50%), z (50%)',
    'y        1     -0.2500    25%  cluster   \\x1b[31m (100%)',
  ]);
  assert.ok(lines.includes('kernel Y    gaussian σ = 0.5000 (auto: median pairwise distance), 100 random Fourier frequencies'));
  assert.ok(lines.includes('method      exact'), 'an empty reason adds no dash');
  assert.ok(lines.includes('noise       2 eigenvalues within round-off not listed as modes'));
  assert.ok(
    formatHuman(specResult({ noiseDropped: 1 }), { xName: 'a', yName: 'b' }).includes('noise       1 eigenvalue within round-off not listed as modes\n'),
  );
  assert.ok(!/\x1b|\u202e/.test(text), 'no raw control or bidi character reaches stdout');
});

test('formatHuman: the covariance route names the solver that ran and why, under the method', () => {
  const text = formatHuman(
    specResult({ method: 'covariance', methodReason: 'n = 10000 > 4000', solver: 'matrix-free', solverReason: 'estimated SYRK 6.4 s, matrix-free 2.5 s' }),
    { xName: 'a', yName: 'b' },
  );
  const lines = text.split('\n');
  const at = lines.indexOf('method      covariance — n = 10000 > 4000');
  assert.ok(at > 0, text);
  assert.equal(lines[at + 1], 'solver      matrix-free — estimated SYRK 6.4 s, matrix-free 2.5 s');
  assert.ok(!formatHuman(specResult(), { xName: 'a', yName: 'b' }).includes('solver '), 'no solver line on the exact route');
});

test('formatHuman: no modes, no timings', () => {
  const text = formatHuman(specResult({ modes: [], eigenvalues: new Float64Array(0), timings: {} as never }), { xName: 'a', yName: 'b' });
  assert.equal(
    text,
    [
      'SPEC modes of X = a vs Y = b, n = 6',
      '',
      'No modes: the two kernel matrices agree to numerical precision.',
      '',
      'SPEC-diff   x-not-y 0.7500   y-not-x 0.2500   norm 0.7500',
      'kernel X    cosine',
      'kernel Y    gaussian σ = 0.5000, 100 random Fourier frequencies',
      'η           1',
      'method      exact — n = 6 ≤ 4000',
      '',
    ].join('\n'),
  );
});

test('labelSummary: most frequent first, ties in code-unit order, at most three, unknown indices as ?', () => {
  const mode = { rank: 1, side: 'x' as const, eigenvalue: 1, top: [0, 1, 2, 3, 4, 5, 6, 7].map((index) => ({ index, score: 1 })) };
  assert.equal(labelSummary(mode, ['b', 'a', 'b', 'c', 'a', 'd', 'b', 'e']), 'b (38%), a (25%), c (13%), …');
  assert.equal(labelSummary(mode, ['b', 'a', 'b', 'c', 'a', 'd', 'b', 'e'], 5), 'b (38%), a (25%), c (13%), d (13%), e (13%)');
  assert.equal(labelSummary(mode, ['x', 'x']), '? (75%), x (25%)');
  assert.equal(labelSummary({ ...mode, top: [] }, []), '');
});

test('kernelText, modeSummaryLines, terminalSafe', () => {
  assert.equal(kernelText({ type: 'linear' }), 'linear');
  assert.equal(kernelText({ type: 'gaussian', sigma: 123456 }), 'gaussian σ = 1.23e+5');
  assert.equal(kernelText({ type: 'gaussian', sigma: 2 }, true), 'gaussian σ = 2.0000 (auto: median pairwise distance)');
  assert.deepEqual(modeSummaryLines(specResult(), ['dog', 'z', 'cat', 'q', 'e', 'cat']), [
    'mode x1: 0.7500 — top samples mostly cat (67%), dog (33%) vs bottom samples mostly q (50%), z (50%)',
    'mode y1: -0.2500 — top samples mostly e (100%)',
  ]);
  assert.equal(terminalSafe('a\rb\x7f\u2066c'), 'a\\x0db\\x7f\\u2066c');
});

test("agreementLines: each side's NMI/AMI with the rule, then purity / entropy per mode; nothing without labels", () => {
  const agreement = {
    cut: 0.5,
    x: { nmi: 0.5, ami: 0.25, assigned: [{ mode: 'x1', count: 4 }], unassigned: 2 },
    y: null,
  };
  const modes = [
    { side: 'x' as const, rank: 1, purity: 0.75, entropy: 0.5623 },
    { side: 'y' as const, rank: 1, purity: 1, entropy: 0 },
  ];
  assert.deepEqual(agreementLines(agreement, modes, { x: "X's samples", y: "Y's samples" }), [
    '',
    "labels      NMI and AMI (arithmetic, as scikit-learn) of each side's mode assignment against the labels:",
    "            a sample goes to the side's mode it scores highest on, to none below that mode's top cut (0.5 of the way from its baseline to its peak)",
    "  side x (X's samples): NMI 0.5000   AMI 0.2500   (samples per mode: x1 4, none 2)",
    'top-sample labels per mode, purity / entropy (nats): x1 75% / 0.56, y1 100% / 0.00',
  ]);
  assert.deepEqual(agreementLines(undefined, [{ side: 'x', rank: 1 }]), []);
});

test('endsText: both ends of a contrast, the heavier end of a cluster (the bottom one marked), the top of a diffuse mode or of one without ends', () => {
  const labels = ['g0', 'g0', 'g1', 'g1', 'g2'];
  const top = [
      { index: 2, score: 0.5 },
      { index: 3, score: 0.5 },
    ],
    bottom = [
      { index: 0, score: -0.5 },
      { index: 1, score: -0.5 },
    ];
  const mode = { top, ...NO_ENDS, bottom };
  assert.equal(endsText({ ...mode, kind: 'contrast' }, labels), 'g1 (100%) vs g0 (100%)');
  assert.equal(endsText({ ...mode, kind: 'contrast' }), '2, 3 vs 0, 1');
  assert.equal(endsText({ ...mode, kind: 'cluster', massTop: 0.9, massBottom: 0 }, labels), 'g1 (100%)');
  assert.equal(endsText({ ...mode, kind: 'cluster', massTop: 0.05, massBottom: 0.8 }, labels), 'g0 (100%) (bottom end)');
  assert.equal(endsText({ ...mode, kind: 'diffuse', massTop: 0.1, massBottom: 0.3 }, labels), 'g1 (100%)');
  // a chosen end (FINC's freqEnd) wins over the masses
  assert.equal(endsText({ ...mode, kind: 'cluster', massTop: 0.9, massBottom: 0 }, labels, 'bottom'), 'g0 (100%) (bottom end)');
  // align's modes list top samples only
  assert.equal(endsText({ top }, labels), 'g1 (100%)');
});
