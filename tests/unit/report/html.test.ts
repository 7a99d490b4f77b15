// The report page: one self-contained document whose data element parses back to
// the data exactly, whatever strings the data hold (no `</script>` can end it early).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inlineScript, reportHtml, scriptJson } from '../../../src/report/html.js';
import { REPORT_CSS } from '../../../src/report/client/style.js';
import { REPORT_CLIENT_JS } from '../../../src/generated/report-client.js';
import type { ReportData } from '../../../src/report/data.js';

const HOSTILE = ['</script><script>alert(1)</script>', '<!--', '\u2028\u2029', '</SCRIPT >', '\'"&<>', '\u0000'];

test('scriptJson: parses back unchanged, with no "<" and no raw U+2028/2029 left', () => {
  const value = { a: HOSTILE, n: [1.5, -0, 1e-300], nested: { '</script>': null } };
  const s = scriptJson(value);
  assert.ok(!s.includes('<'));
  assert.ok(!/[\u2028\u2029]/.test(s));
  assert.deepEqual(JSON.parse(s), JSON.parse(JSON.stringify(value)));
  assert.equal(scriptJson('<'), '"\\u003c"');
  assert.equal(scriptJson('\u2028'), '"\\u2028"');
});

test('inlineScript: no </script (any case) survives; the code is otherwise unchanged', () => {
  assert.equal(inlineScript('a = "</script>"; b = "</SCRIPT "'), 'a = "<\\/script>"; b = "<\\/SCRIPT "');
  assert.equal(inlineScript('x < y && y </ z'), 'x < y && y </ z');
  assert.ok(!/<\/script/i.test(inlineScript(REPORT_CLIENT_JS)));
});

function page(title: string, extra: Partial<ReportData> = {}): ReportData {
  return {
    format: 'spec-embed-report',
    version: '0.1.0',
    task: 'align',
    title,
    xName: 'X',
    yName: 'Y',
    json: { labels: HOSTILE } as never,
    ...extra,
  };
}

test('reportHtml: one document, CSP without network, escaped title, the data element round-trips', () => {
  const data = page('a <b> & "c" \'d\'', { description: '</script>' });
  const html = reportHtml(data);
  assert.ok(html.startsWith('<!DOCTYPE html>\n<html lang="en">'));
  assert.ok(html.endsWith('</body></html>\n'));
  assert.ok(
    html.includes(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:">`,
    ),
  );
  assert.ok(html.includes('<title>a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;</title>'));
  assert.ok(html.includes(`<style>${REPORT_CSS}</style>`));
  assert.ok(html.includes('<div id="spec-root" data-spec-root>'));
  const m = /<script type="application\/json" id="spec-embed-data">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m, 'the data element');
  assert.deepEqual(JSON.parse(m[1]), JSON.parse(JSON.stringify(data)));
  // exactly two script elements: the data and the renderer; nothing loaded from elsewhere
  assert.equal(html.match(/<script\b/g)?.length, 2);
  assert.equal(html.match(/<\/script>/g)?.length, 2);
  assert.ok(!/\bsrc=|\bhref=|@import|url\(/i.test(html.replace(m[1], '').replace(inlineScript(REPORT_CLIENT_JS), '')));
});
