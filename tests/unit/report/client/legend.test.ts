// The maps' legend: classes as buttons that pick one class (a second click clears), the
// grouped "other" entry, the finc toggle between colour by set and by label, the
// marks always explained.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installDom, text, type FakeElement } from './fake-dom.js';
import { mapLegend } from '../../../../src/report/client/legend.js';
import { OTHER_KEY, type MapState } from '../../../../src/report/client/map.js';
import { classPalette } from '../../../../src/report/client/palette.js';

installDom();

test('mapLegend: class buttons pick and clear a class; "other" groups the rest; marks explained', () => {
  const labels = Array.from({ length: 60 }, (_, i) => `c${i % 25}`);
  const state: MapState = { colorBy: 'label', focus: null };
  let changes = 0;
  const el = mapLegend({ palette: classPalette(labels), state, onChange: () => changes++ }) as unknown as FakeElement;
  const items = el.querySelectorAll('.legend-item');
  assert.equal(items.length, 21);
  assert.equal(text(items[20]), 'other: 5 classes (10)');
  items[2].click();
  assert.equal(state.focus, 'c2');
  assert.equal(changes, 1);
  assert.equal(el.querySelectorAll('.legend-item')[2].getAttribute('aria-pressed'), 'true');
  el.querySelectorAll('.legend-item')[2].click();
  assert.equal(state.focus, null);
  el.querySelector('[data-other]')!.click();
  assert.equal(state.focus, OTHER_KEY);
  assert.equal(el.querySelectorAll('.legend-mark').length, 3);
});

test('mapLegend: without labels a plain entry; finc toggles between sets and labels', () => {
  const plain = mapLegend({ state: { colorBy: 'label', focus: null }, onChange: () => {} }) as unknown as FakeElement;
  assert.equal(plain.querySelectorAll('.legend-item').length, 0);
  assert.ok(plain.querySelectorAll('span').some((s) => text(s) === 'samples'));
  const state: MapState = { colorBy: 'set', focus: null };
  const el = mapLegend({ palette: classPalette(['a', 'b']), state, sets: { x: 'P', y: 'Q' }, onChange: () => {} }) as unknown as FakeElement;
  assert.deepEqual(el.querySelectorAll('[data-set]').map(text), ['P', 'Q']);
  el.querySelector('#color-by-label')!.click();
  assert.equal(state.colorBy, 'label');
  assert.deepEqual(el.querySelectorAll('.legend-item').map(text), ['a (1)', 'b (1)']);
  el.querySelectorAll('.legend-item')[0].click();
  el.querySelector('#color-by-set')!.click();
  assert.equal(state.focus, null, 'switching colouring clears the picked class');
  assert.equal(el.querySelectorAll('.legend-item').length, 0);
});
