// The inlined stylesheet: well formed, every custom property it uses defined,
// nothing fetched (no url() or @import: the page's CSP forbids it anyway), and
// the side colours the same as the charts' attribute colours.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REPORT_CSS } from '../../../../src/report/client/style.js';
import { COLOR } from '../../../../src/report/client/charts.js';

test('REPORT_CSS: balanced braces, one rule per line, nothing fetched', () => {
  let depth = 0;
  for (const c of REPORT_CSS) {
    if (c === '{') depth++;
    if (c === '}') depth--;
    assert.ok(depth >= 0 && depth <= 2);
  }
  assert.equal(depth, 0);
  assert.ok(!/url\(|@import|https?:/i.test(REPORT_CSS));
  for (const line of REPORT_CSS.trim().split('\n')) assert.match(line, /\}$/, line);
});

test("REPORT_CSS: every var(--name) is defined in :root; --x and --y are the charts' colours", () => {
  const root = /:root\{([^}]*)\}/.exec(REPORT_CSS)![1];
  const defined = new Map(
    root
      .split(';')
      .map((d) => d.split(':') as [string, string])
      .map(([k, v]) => [k.trim(), v.trim()]),
  );
  const used = new Set([...REPORT_CSS.matchAll(/var\((--[\w-]+)\)/g)].map((m) => m[1]));
  for (const v of used) assert.ok(defined.has(v), `${v} is defined`);
  assert.equal(defined.get('--x'), COLOR.x);
  assert.equal(defined.get('--y'), COLOR.y);
  assert.equal(defined.get('--muted'), COLOR.muted);
});
