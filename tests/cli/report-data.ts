// Reads the data embedded in a report page (the JSON the page's script renders).
import assert from 'node:assert/strict';

export function reportData(html: string): any {
  const m = html.match(/<script type="application\/json" id="spec-embed-data">([^<]*)<\/script>/);
  assert.ok(m, 'the report embeds its data');
  return JSON.parse(m[1]);
}

/** A report is one file: no external scripts, stylesheets, images or fetches. */
export function assertSelfContained(html: string): void {
  assert.match(html, /^<!DOCTYPE html>/);
  assert.match(html, /<\/html>\s*$/);
  assert.doesNotMatch(html, /<script[^>]+src=|<link|src="https?:|href="https?:|(?<![A-Za-z])url\(|@import/i);
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
}
