// align in the app: the learned map W (and the bias b) as .npy files, saved from the
// report's toolbar beside "Export JSON" — what `spec-embed align --out-map` writes.
import { npyBytes } from '../io/npy-write.js';
import { download, h } from '../report/client/dom.js';
import type { LearnedMap } from './protocol.js';

const npy = (bytes: Uint8Array) => new Blob([bytes as BlobPart], { type: 'application/octet-stream' });

/** Buttons saving W.npy (float32, shape (d', dy): Y @ W.T applies it) and W.bias.npy. */
export function mapButtons(map: LearnedMap): HTMLElement[] {
  const save = (name: string, data: Float32Array, shape: number[]) => () => download(name, npy(npyBytes(data, shape)));
  const buttons = [
    h(
      'button',
      {
        type: 'button',
        id: 'download-w',
        title: `float32, shape (${map.dim}, ${map.dy}): Y @ W.T applies the map`,
        onclick: save('W.npy', map.W, [map.dim, map.dy]),
      },
      'Download W (.npy)',
    ),
  ];
  if (map.bias)
    buttons.push(
      h(
        'button',
        { type: 'button', id: 'download-bias', title: `float32, shape (${map.dim},)`, onclick: save('W.bias.npy', map.bias, [map.dim]) },
        'Download bias (.npy)',
      ),
    );
  return buttons;
}
