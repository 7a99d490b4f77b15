// Student's t tail, the corrected resampled t-test and percentiles against SciPy/NumPy
// (scipy.stats.t.sf and numpy.percentile; scripts/fixtures/significance_stats.py prints them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { correctedTPValue, percentile, studentTUpper } from '../../../src/significance/stats.js';

const close = (got: number, want: number, rel = 1e-9) => assert.ok(Math.abs(got - want) <= rel * Math.abs(want), `${got} vs SciPy ${want}`);

test('studentTUpper equals scipy.stats.t.sf', () => {
  close(studentTUpper(2.0, 5), 0.050969739414929174);
  close(studentTUpper(-1.0, 3), 0.8044988905221148);
  close(studentTUpper(10, 19), 2.6315130811679495e-9, 1e-7);
  close(studentTUpper(0.5, 1), 0.35241638234956674);
});

test('correctedTPValue: t = mean/√((1/R + 1)s²), R − 1 degrees of freedom, one-sided by side', () => {
  const v = [0.3, -0.1, 0.25, 0.4, 0.05, 0.2];
  close(correctedTPValue(v, 1), 0.19539522359614495);
  close(correctedTPValue(v, -1), 0.8046047764038551);
  // constant values: decided by their sign
  assert.equal(correctedTPValue([0.5, 0.5, 0.5], 1), 0);
  assert.equal(correctedTPValue([0, 0, 0], 1), 1);
  assert.equal(correctedTPValue([-0.25, -0.25], -1), 0);
});

test('percentile interpolates linearly as numpy.percentile', () => {
  const v = [0.3, -0.1, 0.25, 0.4, 0.05, 0.2];
  close(percentile(v, 0.025), -0.08125);
  close(percentile(v, 0.975), 0.3875);
  close(percentile(v, 0.5), 0.225);
  assert.ok(Number.isNaN(percentile([], 0.5)));
});
