import { ANSI_SOURCE, CONTROL_CLASS, INVISIBLE_CLASS } from '../text-controls.js';

/*
 * What a reader sees, or what a later decoder makes of the text: escapes
 * decoded (JSON and JS: `\/`, `\"`, `\\`, `\n`, `\u0041`, `\x41`, up to
 * three times over for JSON inside JSON inside a log line), and terminal
 * escapes, control and invisible characters removed. A secret written
 * `ghp_\u0041…`, `ghp_ABC\x1b[0mDEF…`, `AKIA\x00…` or `{\"password\": \"…\"}`
 * is found in such a view, and the span of the ORIGINAL text it came from
 * (escapes and all) is what gets replaced: the stored text never holds the
 * pieces.
 *
 * Two views, because a removed character can be either glue or a separator:
 * in `ghp_ABC\x1b[0mDEF` the colour code sits inside one token (removed: the
 * token is whole again), in `key\x00AKIA…` it separates two words (replaced by
 * a space: the key has its word boundary back). Rules run over both and over
 * the original (where `"a\"b"` is still one quoted value); the findings are
 * merged.
 */

/** A transformed text and, per character of it, the range of the original it came from. */
export interface View {
  text: string;
  start: Int32Array;
  end: Int32Array;
}

const ESCAPE_SOURCE = String.raw`\\["'\\/bfnrtux]`;
/** Anything a view would change: an escape it decodes, or a character it removes. */
const NEEDS_VIEW_RE = new RegExp(`${ESCAPE_SOURCE}|[${CONTROL_CLASS}${INVISIBLE_CLASS}]`);
const ESCAPE_RE = new RegExp(ESCAPE_SOURCE);
const ANSI_AT_RE = new RegExp(ANSI_SOURCE, 'y');
const REMOVED_CHAR_RE = new RegExp(`[${CONTROL_CLASS}${INVISIBLE_CLASS}]`);
const HEX4_RE = /^[0-9a-fA-F]{4}$/;
const HEX2_RE = /^[0-9a-fA-F]{2}$/;
const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
/** Escaped text inside escaped text inside a log line is common; deeper nesting is not. */
const MAX_DECODES = 3;

export function needsViews(text: string): boolean {
  return NEEDS_VIEW_RE.test(text);
}

/** The glued and the separated view of `text` (see above), or none when both would equal it. */
export function readableViews(text: string): [View, View] | undefined {
  if (!needsViews(text)) return undefined;
  const decoded = decodeAll(text);
  return [strip(decoded, ''), strip(decoded, ' ')];
}

/** `text` as a reader sees it, glued: what a secret's placeholder hash is computed from. */
export function canonical(text: string): string {
  return needsViews(text) ? strip(decodeAll(text), '').text : text;
}

class Builder {
  private chars: string[] = [];
  readonly start: Int32Array;
  readonly end: Int32Array;
  constructor(capacity: number) {
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
  }
  push(ch: string, from: number, to: number): void {
    const i = this.chars.length;
    this.chars.push(ch);
    this.start[i] = from;
    this.end[i] = to;
  }
  view(): View {
    const n = this.chars.length;
    return { text: this.chars.join(''), start: this.start.subarray(0, n), end: this.end.subarray(0, n) };
  }
}

function decodeAll(text: string): View {
  const identity = new Builder(text.length);
  for (let i = 0; i < text.length; i++) identity.push(text[i]!, i, i + 1);
  let view = identity.view();
  for (let n = 0; n < MAX_DECODES && ESCAPE_RE.test(view.text); n++) {
    const next = decodeOnce(view);
    if (next.text.length === view.text.length) break; // nothing decoded
    view = next;
  }
  return view;
}

/** One round of JSON/JS string unescaping; a backslash that starts no escape stays as it is. */
function decodeOnce(input: View): View {
  const { text } = input;
  const out = new Builder(text.length);
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    let decoded: string | undefined;
    let width = 0;
    if (ch === '\\' && i + 1 < text.length) {
      const next = text[i + 1]!;
      const hex = next === 'u' ? text.slice(i + 2, i + 6) : next === 'x' ? text.slice(i + 2, i + 4) : '';
      if ((next === 'u' && HEX4_RE.test(hex)) || (next === 'x' && HEX2_RE.test(hex))) {
        decoded = String.fromCharCode(Number.parseInt(hex, 16));
        width = 2 + hex.length;
      } else if (next in SIMPLE_ESCAPES) {
        decoded = SIMPLE_ESCAPES[next];
        width = 2;
      }
    }
    if (decoded === undefined) {
      out.push(ch, input.start[i]!, input.end[i]!);
      i++;
    } else {
      out.push(decoded, input.start[i]!, input.end[i + width - 1]!);
      i += width;
    }
  }
  return out.view();
}

/** Terminal escapes, controls and invisibles removed; each removed run becomes `sep` ('' or one space). */
function strip(input: View, sep: string): View {
  const { text } = input;
  const out = new Builder(text.length);
  const ansi = new RegExp(ANSI_AT_RE.source, ANSI_AT_RE.flags);
  let runFrom = -1;
  let runTo = -1;
  let i = 0;
  while (i < text.length) {
    let removed = 0;
    if (text[i] === '\x1b') {
      ansi.lastIndex = i;
      if (ansi.exec(text)) removed = ansi.lastIndex - i;
    }
    if (removed === 0 && REMOVED_CHAR_RE.test(text[i]!)) removed = 1;
    if (removed > 0) {
      if (runFrom < 0) runFrom = input.start[i]!;
      runTo = input.end[i + removed - 1]!;
      i += removed;
      continue;
    }
    if (runFrom >= 0) {
      if (sep) out.push(sep, runFrom, runTo);
      runFrom = -1;
    }
    out.push(text[i]!, input.start[i]!, input.end[i]!);
    i++;
  }
  if (runFrom >= 0 && sep) out.push(sep, runFrom, runTo);
  return out.view();
}
