// What float32 can hold of a user's float64 numbers. Every reader and the
// library's f64 inputs apply the same two rules (docs/design.md, "Values float32
// cannot hold"): a finite value beyond ±3.4028235e38 is refused, and a non-zero
// value below float32's smallest normal 2⁻¹²⁶ is refused when it matters — when it
// exceeds 2⁻²⁴ (float32's relative precision) times the largest |value| of its
// row. Below that, flushing it changes nothing float32 can represent in that row;
// above it (a row of values ~1e-50), float32 would silently turn the data into
// zeros or subnormals.

/** Largest finite float32. */
export const F32_MAX = 3.4028234663852886e38;
/** Smallest normal float32, 2⁻¹²⁶. */
export const F32_MIN_NORMAL = 2 ** -126;
/** float32's relative precision, 2⁻²⁴: a value this far below its row's largest is below the row's resolution. */
const ROW_RESOLUTION = 2 ** -24;

/**
 * The message for a finite float64 that float32 cannot hold (|x| > 3.4028235e38): converting
 * it would give ±Infinity, so it is refused rather than read as a silently wrong number.
 */
export function float32RangeMessage(value: number, row: number, col: number): string {
  return `value ${value} at row ${row + 1}, column ${col + 1} (1-based) is out of float32 range (|x| > 3.4028235e38); rescale the data`;
}

/** The reason text shared by the underflow messages (after the value and its position). */
export function underflowReason(rowMax: number): string {
  return `underflows float32 (0 < |x| < 1.1754944e-38); rescale the data (for example multiply by 1e${Math.round(-Math.log10(rowMax))})`;
}

/** The message for a value float32 would flush to zero or a subnormal while it matters in its row (0-based row, col). */
export function float32UnderflowMessage(value: number, row: number, col: number, rowMax: number): string {
  return `value ${value} at row ${row + 1}, column ${col + 1} (1-based) ${underflowReason(rowMax)}`;
}

/**
 * Whether a row whose largest |value| is `max` and whose largest |value| under
 * 2⁻¹²⁶ is `tiny` (0: none) holds a value that underflows float32 and matters.
 * Readers track both maxima as they go, so a row is checked without a second pass.
 */
export function rowUnderflows(max: number, tiny: number): boolean {
  return tiny > 0 && tiny > ROW_RESOLUTION * max;
}

/**
 * The first value of a row that underflows float32 and matters, or null. `get(j)`
 * is the row's float64 value in column j; used once a row is known to underflow
 * (rowUnderflows), or for whole in-memory rows.
 */
export function rowUnderflow(get: (j: number) => number, cols: number): { col: number; value: number; rowMax: number } | null {
  let max = 0,
    tiny = 0;
  for (let j = 0; j < cols; j++) {
    const a = Math.abs(get(j));
    if (a > max) max = a;
    if (a < F32_MIN_NORMAL && a > tiny) tiny = a;
  }
  if (!rowUnderflows(max, tiny)) return null;
  const floor = ROW_RESOLUTION * max;
  for (let j = 0; j < cols; j++) {
    const v = get(j),
      a = Math.abs(v);
    if (a > 0 && a < F32_MIN_NORMAL && a > floor) return { col: j, value: v, rowMax: max };
  }
  return null;
}
