// Property: for random shapes, ranks, scales, duplicated rows/columns and constant
// columns, under every kernel and on both routes, compare() reports exactly the
// spectrum of the explicit Λ = (1/n)(KX − η·KY) computed here in f64 (Jacobi),
// within 1e-6 of its spectral norm, and its modes obey docs/design.md §1/§3.
// Seed: SPEC_EMBED_PROP_SEED (fixed by default); runs scale with SPEC_EMBED_PROP_RUNS_SCALE.
import { test } from 'node:test';
import { caseArb, runCompareCase } from './helpers/compare-case.js';
import { assertProperty, PROP_SEED, PROP_RUNS_SCALE } from './helpers/reference.js';

const RUNS = Math.max(1, Math.round(150 * PROP_RUNS_SCALE));

test(`compare(): both routes, every kernel, match the explicit Λ (seed ${PROP_SEED}, ${RUNS} runs)`, { timeout: 600_000 }, async () => {
  await assertProperty(caseArb, runCompareCase, RUNS);
});
