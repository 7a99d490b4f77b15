// Echoing input in messages: a file can hold a 50 MB cell or terminal escape sequences,
// and an error message is one short line on a terminal. So quoted input is cut to a
// few dozen characters and every control or bidirectional-override character is escaped.

/** How many characters of input a message quotes at most. */
export const QUOTE_MAX = 60;

// C0/C1 controls, DEL, and the bidi embedding/override/isolate marks that can reorder a line.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `s` with control and bidi characters written as \xNN / \uNNNN escapes. */
export function escapeUnsafe(s: string): string {
  return s.replace(UNSAFE, escapeChar);
}

/** `s` cut to `max` characters (an ellipsis marks the cut) and made safe for a terminal, in double quotes. */
export function quoteInput(s: string, max = QUOTE_MAX): string {
  const cut = s.length > max ? `${s.slice(0, max)}…` : s;
  return `"${escapeUnsafe(cut).replace(/"/g, '\\"')}"`;
}

/** Like quoteInput but without quotes, for text that reads as a name (an array name). */
export function clipInput(s: string, max = QUOTE_MAX): string {
  return escapeUnsafe(s.length > max ? `${s.slice(0, max)}…` : s);
}
