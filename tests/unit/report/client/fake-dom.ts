// A small stand-in for the browser DOM (not a test file): enough of Document,
// Element and Text for the report's renderer to build its tree in Node, with
// simple selectors (tag, #id, .class, [attr], [attr=v], [attr^=v], descendants)
// so tests can read the tree back. Layout, canvas and events beyond listeners are absent.

export class FakeNode {
  parentNode: FakeElement | null = null;
  childNodes: FakeNode[] = [];
  get textContent(): string {
    return this.childNodes.map((c) => c.textContent).join('');
  }
  remove(): void {
    if (this.parentNode) this.parentNode.childNodes = this.parentNode.childNodes.filter((c) => c !== this);
    this.parentNode = null;
  }
}

export class FakeText extends FakeNode {
  constructor(public data: string) {
    super();
  }
  override get textContent(): string {
    return this.data;
  }
}

type Listener = (e: any) => void;

export class FakeElement extends FakeNode {
  attributes = new Map<string, string>();
  listeners = new Map<string, Listener[]>();
  style: Record<string, string> = {};
  width = 0;
  height = 0;
  clientWidth = 0;
  context: unknown = null;
  constructor(
    public tagName: string,
    public namespaceURI: string,
  ) {
    super();
  }
  get children(): FakeElement[] {
    return this.childNodes.filter((c): c is FakeElement => c instanceof FakeElement);
  }
  setAttribute(k: string, v: string): void {
    this.attributes.set(k, String(v));
  }
  getAttribute(k: string): string | null {
    return this.attributes.get(k) ?? null;
  }
  hasAttribute(k: string): boolean {
    return this.attributes.has(k);
  }
  removeAttribute(k: string): void {
    this.attributes.delete(k);
  }
  get id(): string {
    return this.getAttribute('id') ?? '';
  }
  set id(v: string) {
    this.setAttribute('id', v);
  }
  get className(): string {
    return this.getAttribute('class') ?? '';
  }
  set className(v: string) {
    this.setAttribute('class', v);
  }
  get hidden(): boolean {
    return this.hasAttribute('hidden');
  }
  set hidden(v: boolean) {
    if (v) this.setAttribute('hidden', '');
    else this.removeAttribute('hidden');
  }
  override get textContent(): string {
    return super.textContent;
  }
  override set textContent(v: string) {
    this.replaceChildren(new FakeText(v));
  }
  get classList() {
    const list = () => this.className.split(/\s+/).filter(Boolean);
    return {
      contains: (c: string) => list().includes(c),
      add: (c: string) => {
        if (!list().includes(c)) this.className = [...list(), c].join(' ');
      },
      remove: (c: string) => {
        this.className = list()
          .filter((x) => x !== c)
          .join(' ');
      },
      toggle: (c: string, on?: boolean) => {
        const want = on ?? !list().includes(c);
        this.className = want
          ? [...new Set([...list(), c])].join(' ')
          : list()
              .filter((x) => x !== c)
              .join(' ');
        return want;
      },
    };
  }
  appendChild<T extends FakeNode>(c: T): T {
    c.remove();
    c.parentNode = this;
    this.childNodes.push(c);
    return c;
  }
  append(...kids: (FakeNode | string)[]): void {
    for (const k of kids) this.appendChild(typeof k === 'string' ? new FakeText(k) : k);
  }
  replaceChildren(...kids: (FakeNode | string)[]): void {
    for (const c of [...this.childNodes]) c.remove();
    this.append(...kids);
  }
  addEventListener(type: string, f: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), f]);
  }
  removeEventListener(type: string, f: Listener): void {
    this.listeners.set(
      type,
      (this.listeners.get(type) ?? []).filter((g) => g !== f),
    );
  }
  /** Calls the listeners of `type` here and on every ancestor (bubbling), with `target` this element. */
  dispatch(type: string, extra: Record<string, unknown> = {}): void {
    const e = { type, target: this, key: undefined, preventDefault() {}, ...extra };
    for (let n: FakeElement | null = this; n; n = n.parentNode) for (const f of n.listeners.get(type) ?? []) f(e);
  }
  click(): void {
    this.dispatch('click');
  }
  getContext(): unknown {
    return this.context;
  }
  getBoundingClientRect() {
    return { left: 0, top: 0, width: this.clientWidth, height: this.clientWidth };
  }
  matches(sel: string): boolean {
    return matchCompound(this, sel);
  }
  closest(sel: string): FakeElement | null {
    for (let n: FakeElement | null = this; n; n = n.parentNode) if (sel.split(',').some((s) => n!.matches(s.trim()))) return n;
    return null;
  }
  querySelectorAll(sel: string): FakeElement[] {
    const parts = sel.trim().split(/\s+/);
    const out: FakeElement[] = [];
    const walk = (e: FakeElement) => {
      for (const c of e.children) {
        if (c.matches(parts[parts.length - 1]) && ancestorsMatch(c, parts.slice(0, -1), this)) out.push(c);
        walk(c);
      }
    };
    walk(this);
    return out;
  }
  querySelector(sel: string): FakeElement | null {
    return this.querySelectorAll(sel)[0] ?? null;
  }
}

function ancestorsMatch(e: FakeElement, parts: string[], root: FakeElement): boolean {
  let i = parts.length - 1;
  for (let n = e.parentNode; n && i >= 0; n = n.parentNode) {
    if (n.matches(parts[i])) i--;
    if (n === root) break;
  }
  return i < 0;
}

function matchCompound(e: FakeElement, sel: string): boolean {
  const re = /^([a-zA-Z0-9-]*|\*)((?:#[\w-]+|\.[\w-]+|\[[^\]]+\])*)$/;
  const m = re.exec(sel);
  if (!m) throw new Error(`fake DOM: unsupported selector ${sel}`);
  if (m[1] && m[1] !== '*' && e.tagName.toLowerCase() !== m[1].toLowerCase()) return false;
  for (const part of m[2].match(/#[\w-]+|\.[\w-]+|\[[^\]]+\]/g) ?? []) {
    if (part[0] === '#' && e.id !== part.slice(1)) return false;
    if (part[0] === '.' && !e.classList.contains(part.slice(1))) return false;
    if (part[0] === '[') {
      const a = /^\[([\w-]+)(?:(\^?=)(?:"([^"]*)"|'([^']*)'|([^\]]*)))?\]$/.exec(part);
      if (!a) throw new Error(`fake DOM: unsupported selector ${part}`);
      const v = e.getAttribute(a[1]);
      if (v === null) return false;
      const want = a[3] ?? a[4] ?? a[5];
      if (a[2] === '=' && v !== want) return false;
      if (a[2] === '^=' && !v.startsWith(want!)) return false;
    }
  }
  return true;
}

export const HTML_NS = 'http://www.w3.org/1999/xhtml';

export class FakeDocument {
  body = new FakeElement('BODY', HTML_NS);
  listeners = new Map<string, Listener[]>();
  title = '';
  createElement(tag: string): FakeElement {
    return new FakeElement(tag.toUpperCase(), HTML_NS);
  }
  createElementNS(ns: string, tag: string): FakeElement {
    return new FakeElement(tag, ns);
  }
  createTextNode(s: string): FakeText {
    return new FakeText(s);
  }
  addEventListener(type: string, f: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), f]);
  }
  dispatch(type: string, e: Record<string, unknown>): void {
    for (const f of this.listeners.get(type) ?? []) f({ preventDefault() {}, ...e });
  }
  getElementById(id: string): FakeElement | null {
    return this.body.querySelector(`#${id}`);
  }
}

/** Installs a fresh fake document (and the few globals the renderer touches); returns it. */
export function installDom(): FakeDocument {
  const doc = new FakeDocument();
  const g = globalThis as Record<string, unknown>;
  g.document = doc;
  g.requestAnimationFrame = (f: () => void) => {
    f();
    return 0;
  };
  g.HTMLCanvasElement ??= class {};
  return doc;
}

/** All text under a node. */
export const text = (n: FakeNode | null | undefined): string => n?.textContent ?? '';
