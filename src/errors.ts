// Error types that are part of the public API: callers (and the CLI, which maps
// InputError to exit code 2) tell bad input from internal failures by class.

/** Bad input: a malformed file, NaN/Inf, a zero row under the cosine kernel, mismatched rows, σ ≤ 0 ... */
export class InputError extends Error {
  /** The file (or argument name, e.g. "X") the problem is in, when known. */
  readonly source?: string;
  constructor(message: string, source?: string) {
    super(source ? `${source}: ${message}` : message);
    this.name = 'InputError';
    this.source = source;
  }
}

/** The computation was cancelled through an AbortSignal. */
export class AbortError extends Error {
  constructor(message = 'spec-embed: aborted') {
    super(message);
    this.name = 'AbortError';
  }
}
