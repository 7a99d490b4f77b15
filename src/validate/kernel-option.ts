// A kernel option as the caller wrote it ('cosine', { type: 'gaussian', sigma, rffDim }),
// checked before anything is resolved: its type, its key names, σ and rffDim. Here
// rather than in features/ so that compare() and finc() check their settings in one
// place (validate/inputs.ts); features/kernel.ts resolves the checked option.
import { InputError } from '../errors.js';
import type { KernelOption, KernelType } from '../types/index.js';
import { checkOptionNames } from './checks.js';
import { KERNEL_KEYS } from './option-names.js';

export const KERNEL_TYPES: readonly KernelType[] = ['cosine', 'linear', 'gaussian'];

/**
 * A kernel option checked (type, keys, σ, rffDim), as an object; messages name
 * it `option`, the name the user passed it under (compare checks kernel,
 * kernelX and kernelY this way before resolving either side).
 */
export function checkKernelOption(opt: KernelOption | undefined, option: string): Exclude<KernelOption, string> {
  const o = opt === undefined ? { type: 'cosine' as KernelType } : typeof opt === 'string' ? { type: opt } : opt;
  if (!o || typeof o !== 'object' || !KERNEL_TYPES.includes(o.type)) {
    throw new InputError(`${option} must be one of ${KERNEL_TYPES.join(', ')}, got ${JSON.stringify((o as { type?: unknown } | null)?.type ?? opt)}`);
  }
  checkOptionNames(o, KERNEL_KEYS, `${option} option`);
  const sigma = o.sigma ?? 'auto';
  if (sigma !== 'auto' && (typeof sigma !== 'number' || !Number.isFinite(sigma) || sigma <= 0)) {
    throw new InputError(`sigma of ${option} must be a number > 0 or 'auto', got ${String(sigma)}`);
  }
  // absent means the default, which is valid
  const rffDim = o.rffDim ?? 1;
  if (!Number.isInteger(rffDim) || rffDim < 1) {
    throw new InputError(`rffDim of ${option} must be an integer ≥ 1, got ${String(rffDim)}`);
  }
  return o;
}

/** Unknown key names of a kernel object, before its values are looked at (a string or a non-object has none). */
export function checkKernelNames(opt: unknown, option: string): void {
  if (opt && typeof opt === 'object' && !Array.isArray(opt)) checkOptionNames(opt, KERNEL_KEYS, `${option} option`);
}
