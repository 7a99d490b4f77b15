// Property: finc() on random unpaired sets (shapes, ranks, scales, duplicates,
// constant columns; every kernel; both routes) reports the spectrum of the
// explicit CX − η·CY computed here in f64, and well-formed modes.
// Seed: SPEC_EMBED_PROP_SEED; runs scale with SPEC_EMBED_PROP_RUNS_SCALE.
import { test } from 'node:test';
import { fincCaseArb, runFincCase } from './helpers/finc-case.js';
import { assertProperty, PROP_SEED, PROP_RUNS_SCALE } from './helpers/reference.js';

const RUNS = Math.max(1, Math.round(80 * PROP_RUNS_SCALE));

test(`finc(): both routes, every kernel, match the explicit CX − ηCY (seed ${PROP_SEED}, ${RUNS} runs)`, { timeout: 600_000 }, async () => {
  await assertProperty(fincCaseArb, runFincCase, RUNS);
});
