// Renders a ReportData into a container: the report page and the in-browser app
// both call this one function (the app after its worker has computed the data).
import { download, h } from './dom.js';
import type { ReportData } from '../data.js';
import type { AlignJson } from '../data.js';
import { keys, type ReportHandle } from './render-common.js';
import { renderAlign } from './render-align.js';
import { renderModes } from './render-modes.js';

export type { ReportHandle } from './render-common.js';

export function render(data: ReportData, root: HTMLElement): ReportHandle {
  root.replaceChildren();
  keys.stepper = null;
  if (!keys.listening) {
    keys.listening = true;
    document.addEventListener('keydown', (e) => {
      const t = e.target as HTMLElement | null;
      if (!keys.stepper || (t && /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName))) return;
      if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
      keys.stepper(e.key === 'ArrowRight' ? 1 : -1);
      e.preventDefault();
    });
  }
  document.title = data.title;
  const handle: ReportHandle = { data, selected: null, select: () => {} };
  const header = h(
    'header',
    {},
    h('h1', {}, data.title),
    data.local ? h('p', { class: 'local' }, 'Computed in this page: nothing left this machine.') : null,
    data.description ? h('p', {}, data.description) : null,
  );
  const main = h('main', {});
  root.append(header, main);
  const footer = h(
    'footer',
    {},
    `spec-embed ${data.version} · ${data.task === 'finc' ? 'FINC (Zhang, Jalali, Li & Farnia, CVPR 2025)' : 'SPEC (Jalali, Dibaei Nia & Farnia, ICML 2025)'}${data.generated ? ` · ${data.generated}` : ''}`,
  );
  root.append(footer);
  main.append(
    h(
      'div',
      { class: 'toolbar' },
      h(
        'button',
        {
          type: 'button',
          id: 'export-json',
          onclick: () => download(`spec-embed-${data.task}.json`, new Blob([`${JSON.stringify(data.json, null, 1)}\n`], { type: 'application/json' })),
        },
        'Export JSON',
      ),
    ),
  );
  if (data.task === 'align') renderAlign(data, data.json as AlignJson, header, main);
  else renderModes(data, header, main, handle);
  return handle;
}

/** A mode of align's JSON (its top samples carry labels, and the mode its label mix, when the CLI was given labels). */
