// Class colours of the maps. Few classes (≤ 10) take Tableau's ten colours; more take
// twenty colours made for telling many categories apart (Kelly's colours of maximum
// contrast, without white, black and grey, plus a teal), given to the 20 most frequent
// classes; the rest share one grey as "other". Colours go in the classes' natural order
// ("2" before "10"), so a legend reads in order and a report's colours do not depend on
// which class happens to be sampled first.

export const FEW_CLASSES = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#17becf'];
export const MANY_CLASSES = [
  '#f3c300',
  '#875692',
  '#f38400',
  '#a1caf1',
  '#be0032',
  '#c2b280',
  '#008856',
  '#e68fac',
  '#0067a5',
  '#f99379',
  '#604e97',
  '#f6a600',
  '#b3446c',
  '#dcd300',
  '#882d17',
  '#8db600',
  '#654522',
  '#e25822',
  '#2b3d26',
  '#00a0b0',
];
/** Colour of the classes past the most frequent ones, and of unlabelled points. */
export const OTHER_COLOR = '#a0a8b4';
/** At most this many classes get their own colour. */
export const MAX_CLASSES = MANY_CLASSES.length;

export interface ClassEntry {
  label: string;
  color: string;
  /** Plotted points of the class. */
  count: number;
}

export interface ClassPalette {
  /** The coloured classes in natural order. */
  entries: ClassEntry[];
  /** The classes grouped as "other" (none: null). */
  other: { classes: number; count: number } | null;
  /** Colour of a label (OTHER_COLOR for a grouped or missing one). */
  colorOf(label: string | null | undefined): string;
  /** True when the label is one of the grouped "other" classes. */
  isOther(label: string | null | undefined): boolean;
}

const natural = new Intl.Collator('en', { numeric: true }).compare;

/**
 * The classes' colours, or undefined without labels (or when they name samples rather than
 * classes: more than 20 distinct labels, each of 2 samples or fewer on average). The most frequent `max`
 * classes are coloured (ties: natural order).
 */
export function classPalette(labels: readonly (string | null)[] | undefined, max = MAX_CLASSES): ClassPalette | undefined {
  if (!labels) return undefined;
  const counts = new Map<string, number>();
  for (const l of labels) if (l !== null && l !== undefined) counts.set(l, (counts.get(l) ?? 0) + 1);
  if (counts.size === 0) return undefined;
  // names rather than classes (most labels unique, e.g. file names): no colours to give
  const labelled = [...counts.values()].reduce((a, c) => a + c, 0);
  if (counts.size > Math.max(max, MAX_CLASSES) && counts.size >= labelled / 2) return undefined;
  const byCount = [...counts].sort((a, b) => b[1] - a[1] || natural(a[0], b[0]));
  const kept = byCount.slice(0, max).sort((a, b) => natural(a[0], b[0]));
  const rest = byCount.slice(max);
  const colors = kept.length <= FEW_CLASSES.length ? FEW_CLASSES : MANY_CLASSES;
  const entries = kept.map(([label, count], i) => ({ label, color: colors[i % colors.length], count }));
  const colorMap = new Map(entries.map((e) => [e.label, e.color]));
  return {
    entries,
    other: rest.length ? { classes: rest.length, count: rest.reduce((a, r) => a + r[1], 0) } : null,
    colorOf: (l) => (l == null ? OTHER_COLOR : (colorMap.get(l) ?? OTHER_COLOR)),
    isOther: (l) => l != null && counts.has(l) && !colorMap.has(l),
  };
}
