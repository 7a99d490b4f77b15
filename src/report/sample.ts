// Which samples a report plots: at most `max` of them, chosen by a seeded
// shuffle, always including every mode's top samples (the points a reader
// selects and must find in both maps).
import { randInt, seededRandom } from './random.js';

/**
 * Sorted distinct indices of 0..n−1: every index of `must` (those in range),
 * then seeded random others until `max` (or n) are chosen. If `must` alone
 * exceeds `max`, all of `must` is kept (the top samples are never dropped).
 */
export function sampleLayoutPoints(n: number, must: Iterable<number>, max: number, seed: number): number[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`spec-embed: invalid sample count ${n}`);
  const chosen = new Set<number>();
  for (const i of must) if (Number.isInteger(i) && i >= 0 && i < n) chosen.add(i);
  const want = Math.min(n, Math.max(max, chosen.size));
  if (want === n) return Array.from({ length: n }, (_, i) => i);
  const rand = seededRandom(seed);
  if (want - chosen.size < n / 2) {
    // Few to add: rejection sampling touches O(want) memory, not O(n).
    while (chosen.size < want) chosen.add(randInt(rand, n));
  } else {
    // Most of 0..n−1: a partial Fisher–Yates over the indices not yet chosen.
    const rest: number[] = [];
    for (let i = 0; i < n; i++) if (!chosen.has(i)) rest.push(i);
    for (let k = 0; chosen.size < want; k++) {
      const j = k + randInt(rand, rest.length - k);
      [rest[k], rest[j]] = [rest[j], rest[k]];
      chosen.add(rest[k]);
    }
  }
  return [...chosen].sort((a, b) => a - b);
}
