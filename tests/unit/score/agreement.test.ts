// src/score/agreement.ts against scikit-learn (tests/fixtures/agreement, written by
// scripts/fixtures/agreement.py): NMI and AMI with arithmetic normalisation, entropy in
// nats, the mode assignment rule, and the top samples' label mix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  ASSIGN_CUT,
  NONE,
  adjustedMutualInfo,
  assignModes,
  entropyOfCounts,
  labelMix,
  logFactorial,
  normalizedMutualInfo,
  sideAgreement,
  topCutOf,
} from '../../../src/score/agreement.js';

interface Case {
  name: string;
  truth: string[];
  pred: string[];
  nmi: number;
  ami: number;
  entropyTruth: number;
  entropyPred: number;
}
interface Side {
  labels: string[];
  scores: number[][];
  assignment: number[];
  nmi: number;
  ami: number;
}
const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../../fixtures/agreement/agreement.json', import.meta.url)), 'utf8')) as {
  cases: Case[];
  sides: Side[];
};

const close = (got: number, want: number, what: string, tol = 1e-10) =>
  assert.ok(Math.abs(got - want) <= tol * Math.max(1, Math.abs(want)), `${what}: got ${got}, sklearn ${want}`);

function entropyOf(labels: string[]): number {
  const m = new Map<string, number>();
  for (const l of labels) m.set(l, (m.get(l) ?? 0) + 1);
  return entropyOfCounts([...m.values()]);
}

test('NMI, AMI and entropy equal scikit-learn on every case', () => {
  assert.ok(fixture.cases.length >= 10);
  for (const c of fixture.cases) {
    close(normalizedMutualInfo(c.truth, c.pred), c.nmi, `${c.name} NMI`);
    close(adjustedMutualInfo(c.truth, c.pred), c.ami, `${c.name} AMI`);
    close(entropyOf(c.truth), c.entropyTruth, `${c.name} H(truth)`);
    close(entropyOf(c.pred), c.entropyPred, `${c.name} H(pred)`);
  }
});

test("the mode assignment and its NMI/AMI equal the fixture's, made by the same rule in NumPy", () => {
  for (const s of fixture.sides) {
    const n = s.labels.length;
    const got = assignModes(s.scores, n);
    assert.deepEqual(Array.from(got), s.assignment);
    const a = sideAgreement(s.labels, s.scores);
    close(a.nmi, s.nmi, 'side NMI');
    close(a.ami, s.ami, 'side AMI');
    assert.equal(a.unassigned, s.assignment.filter((v) => v === -1).length);
    assert.equal(a.assigned.reduce((p, q) => p + q, 0) + a.unassigned, n);
  }
});

test("assignModes: highest score wins; below half the mode's peak |score| is NONE", () => {
  assert.equal(ASSIGN_CUT, 0.5);
  const m0 = [0.8, 0.1, 0.39, -0.9, 0];
  const m1 = [0.1, 0.5, 0.2, 0, 0];
  // peak |m0| = 0.9 (a negative entry counts), so m0 needs ≥ 0.45; peak m1 = 0.5 needs ≥ 0.25
  assert.deepEqual(Array.from(assignModes([m0, m1], 5)), [0, 1, NONE, NONE, NONE]);
  assert.deepEqual(Array.from(assignModes([], 3)), [NONE, NONE, NONE]);
  // a mode's own top cut when given (a FINC mode's, drawn over both sets): m0 from 0.3 claims sample 2
  assert.deepEqual(Array.from(assignModes([m0, m1], 5, [0.3, undefined])), [0, 1, 0, NONE, NONE]);
  // a mode without ends (cutTop ≤ cutBottom) claims nothing
  assert.equal(topCutOf(0.2, 0.2), Infinity);
  assert.equal(topCutOf(0.2, -0.1), 0.2);
  assert.deepEqual(Array.from(assignModes([m0, m1], 5, [topCutOf(0.1, 0.1), undefined])), [NONE, 1, NONE, NONE, NONE]);
});

test('labelMix: counts most frequent first, purity and entropy in nats', () => {
  const mix = labelMix(['b', 'a', 'b', 'c', 'b', 'a']);
  assert.deepEqual(mix.counts, [
    { label: 'b', count: 3 },
    { label: 'a', count: 2 },
    { label: 'c', count: 1 },
  ]);
  assert.equal(mix.purity, 0.5);
  close(mix.entropy, -(0.5 * Math.log(0.5) + (1 / 3) * Math.log(1 / 3) + (1 / 6) * Math.log(1 / 6)), 'entropy');
  assert.deepEqual(labelMix(['x', 'x']), { counts: [{ label: 'x', count: 2 }], purity: 1, entropy: 0 });
  assert.deepEqual(labelMix([]), { counts: [], purity: 0, entropy: 0 });
});

test('logFactorial: exact below 20, Stirling beyond, continuous at the switch', () => {
  let lf = 0;
  for (let k = 1; k <= 200; k++) {
    lf += Math.log(k);
    close(logFactorial(k), lf, `ln ${k}!`, 1e-13);
  }
  assert.equal(logFactorial(0), 0);
});

test('mismatched lengths are refused', () => {
  assert.throws(() => normalizedMutualInfo(['a'], ['a', 'b']), RangeError);
});
