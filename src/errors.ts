// Error types that are part of the public API: callers (and the CLI, which maps
// InputError to exit code 2) tell bad input from internal failures by class.
// `instanceof` checks a realm-wide brand (Symbol.for), so an error thrown by one
// copy of spec-embed is recognised by another (the ESM and CJS builds, or the
// full and slim entries, loaded side by side); subclasses keep the ordinary check.

const INPUT_ERROR = Symbol.for('spec-embed.InputError');
const ABORT_ERROR = Symbol.for('spec-embed.AbortError');

function brand(error: Error, key: symbol): void {
  Object.defineProperty(error, key, { value: true });
}

function branded(value: unknown, key: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as { [k: symbol]: unknown })[key] === true;
}

/** Bad input: a malformed file, NaN/Inf, a zero row under the cosine kernel, mismatched rows, σ ≤ 0 ... */
export class InputError extends Error {
  /** True for an InputError from any copy of spec-embed in this realm. */
  static [Symbol.hasInstance](value: unknown): boolean {
    return this === InputError ? branded(value, INPUT_ERROR) : Function.prototype[Symbol.hasInstance].call(this, value);
  }
  /** The file (or argument name, e.g. "X") the problem is in, when known. */
  readonly source?: string;
  constructor(message: string, source?: string) {
    super(source ? `${source}: ${message}` : message);
    this.name = 'InputError';
    this.source = source;
    brand(this, INPUT_ERROR);
  }
}

/** The computation was cancelled through an AbortSignal. */
export class AbortError extends Error {
  /** True for an AbortError from any copy of spec-embed in this realm. */
  static [Symbol.hasInstance](value: unknown): boolean {
    return this === AbortError ? branded(value, ABORT_ERROR) : Function.prototype[Symbol.hasInstance].call(this, value);
  }
  constructor(message = 'spec-embed: aborted') {
    super(message);
    this.name = 'AbortError';
    brand(this, ABORT_ERROR);
  }
}

/** Throws AbortError when the signal has fired; the one check every cooperative step makes. */
export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AbortError();
}
