// DOM building for the report page. Every string from the data goes in as a
// text node or an attribute value (setAttribute), never through innerHTML, so
// a label like `<img src=x onerror=alert(1)>` shows literally.

// biome-ignore lint/suspicious/noExplicitAny: a listener of whichever event the attribute names (click, keydown, …)
type Attr = string | number | boolean | undefined | null | ((e: any) => void);
type Kid = Node | string | number | null | undefined | false;

function apply(el: Element, attrs: Record<string, Attr> | undefined, kids: Kid[]): void {
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of kids) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** An HTML element with attributes (on* keys become listeners) and children (strings become text). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Record<string, Attr>, ...kids: Kid[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  apply(el, attrs, kids);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element (same conventions as h). */
export function s(tag: string, attrs?: Record<string, Attr>, ...kids: Kid[]): SVGElement {
  const el = document.createElementNS(SVG_NS, tag) as SVGElement;
  apply(el, attrs, kids);
  return el;
}

/** Saves a blob or data URL under `name` (an <a download> click; works from file://). */
export function download(name: string, content: Blob | string): void {
  const url = typeof content === 'string' ? content : URL.createObjectURL(content);
  const a = h('a', { href: url, download: name });
  document.body.appendChild(a);
  a.click();
  a.remove();
  if (typeof content !== 'string') setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A PNG of a chart (an <svg> or a <canvas>) at 2× resolution. */
export async function chartPng(el: Element, name: string): Promise<void> {
  if (el instanceof HTMLCanvasElement) {
    download(name, el.toDataURL('image/png'));
    return;
  }
  const svg = el as SVGSVGElement;
  const box = svg.getBoundingClientRect();
  const vb = svg.viewBox.baseVal;
  const w = Math.round(vb?.width ? vb.width : box.width),
    hgt = Math.round(vb?.height ? vb.height : box.height);
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('width', String(w));
  clone.setAttribute('height', String(hgt));
  clone.setAttribute('xmlns', SVG_NS);
  const text = new XMLSerializer().serializeToString(clone);
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  await img.decode();
  const c = document.createElement('canvas');
  c.width = w * 2;
  c.height = hgt * 2;
  const ctx = c.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, c.width, c.height);
  ctx.drawImage(img, 0, 0, c.width, c.height);
  download(name, c.toDataURL('image/png'));
}

/** A thumbnail URI if it is an inline image (data:image/…;base64), else undefined: the page never loads anything from elsewhere. */
export const safeSrc = (uri: string | undefined): string | undefined =>
  uri && /^data:image\/(png|jpeg|gif|webp|bmp|svg\+xml);base64,[A-Za-z0-9+/=]+$/.test(uri) ? uri : undefined;
