// DOM building of the report page on a stand-in document: attributes and
// listeners as given, every string a text node (a hostile label stays text),
// SVG in its namespace, downloads as a clicked <a download>; safeSrc lets only
// inline images through.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeElement, FakeText, HTML_NS, installDom } from './fake-dom.js';
import { download, h, s, safeSrc } from '../../../../src/report/client/dom.js';

const doc = installDom();

test('h: attributes (true → empty, false/null/undefined → absent), on* listeners, children as text', () => {
  let clicks = 0;
  const el = h(
    'button',
    { id: 'b', disabled: true, hidden: false, title: null, lang: undefined, tabindex: 0, onclick: () => clicks++ },
    'a <img src=x onerror=alert(1)>',
    7,
    null,
    undefined,
    false,
    h('span', {}, 'x'),
  ) as unknown as FakeElement;
  assert.equal(el.tagName, 'BUTTON');
  assert.equal(el.namespaceURI, HTML_NS);
  assert.deepEqual(
    [...el.attributes],
    [
      ['id', 'b'],
      ['disabled', ''],
      ['tabindex', '0'],
    ],
  );
  assert.equal(el.listeners.get('click')!.length, 1);
  assert.ok(!el.attributes.has('onclick'), 'a listener, not an attribute');
  el.click();
  assert.equal(clicks, 1);
  assert.equal(el.childNodes.length, 3);
  assert.ok(el.childNodes[0] instanceof FakeText && el.childNodes[0].data === 'a <img src=x onerror=alert(1)>', 'markup in data is text');
  assert.ok(el.childNodes[1] instanceof FakeText && el.childNodes[1].data === '7');
  assert.equal((el.childNodes[2] as FakeElement).tagName, 'SPAN');
  // a non-function on* value is an attribute
  assert.equal((h('div', { onclick: 'alert(1)' }) as unknown as FakeElement).getAttribute('onclick'), 'alert(1)');
});

test('s: SVG elements in the SVG namespace, same conventions', () => {
  const el = s('rect', { x: 1.5, fill: '#fff' }, s('title', {}, 'λ = 1')) as unknown as FakeElement;
  assert.equal(el.namespaceURI, 'http://www.w3.org/2000/svg');
  assert.equal(el.tagName, 'rect');
  assert.deepEqual(
    [...el.attributes],
    [
      ['x', '1.5'],
      ['fill', '#fff'],
    ],
  );
  assert.equal(el.textContent, 'λ = 1');
});

test('download: a data URL through a clicked <a download>, removed again', () => {
  const clicked: string[] = [];
  const proto = FakeElement.prototype as unknown as { click(): void };
  const click = proto.click;
  proto.click = function (this: FakeElement) {
    clicked.push(`${this.getAttribute('download')} ${this.getAttribute('href')} ${this.parentNode === doc.body}`);
  };
  try {
    download('a.png', 'data:image/png;base64,AAAA');
  } finally {
    proto.click = click;
  }
  assert.deepEqual(clicked, ['a.png data:image/png;base64,AAAA true']);
  assert.equal(doc.body.childNodes.length, 0);
});

test('safeSrc: inline base64 images only', () => {
  for (const ok of [
    'data:image/png;base64,iVBORw0KGgo=',
    'data:image/jpeg;base64,/9j/',
    'data:image/gif;base64,R0lG',
    'data:image/webp;base64,UklG',
    'data:image/svg+xml;base64,PHN2Zz4=',
    'data:image/bmp;base64,Qk0=',
  ]) {
    assert.equal(safeSrc(ok), ok);
  }
  for (const bad of [
    undefined,
    '',
    'https://example.com/a.png',
    '//x/a.png',
    'javascript:alert(1)',
    'data:text/html;base64,PHNjcmlwdD4=',
    'data:image/png,raw',
    'data:image/png;base64,AA AA',
    'data:image/png;base64,AA"onerror="x',
    ' data:image/png;base64,AA',
    'DATA:image/png;base64,AA',
  ]) {
    assert.equal(safeSrc(bad), undefined, String(bad));
  }
});
