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
 * Two views when characters are removed, because a removed character can be
 * either glue or a separator: in `ghp_ABC\x1b[0mDEF` the colour code sits
 * inside one token (removed: the token is whole again), in `key\x00AKIA…` it
 * separates two words (replaced by a space: the key has its word boundary
 * back). Rules run over the views and over the original (where `"a\"b"` is
 * still one quoted value); the findings are merged.
 *
 * A view is built from slices between the characters that change and maps
 * back through a list of those slices (binary search, per finding), so its
 * cost grows with the number of escapes, not with the text's length.
 */

/** A transformed text that can say which range of the original each of its characters came from. */
export interface View {
  text: string;
  /** Original [start, end) of the view's characters [from, to). */
  source(from: number, to: number): { start: number; end: number };
}

const ESCAPE_SOURCE = String.raw`\\["'\\/bfnrtux]`;
const REMOVED_SOURCE = `${ANSI_SOURCE}|[${CONTROL_CLASS}${INVISIBLE_CLASS}]`;
/** Anything a view would change: an escape it decodes, or a character it removes. */
const NEEDS_VIEW_RE = new RegExp(`${ESCAPE_SOURCE}|[${CONTROL_CLASS}${INVISIBLE_CLASS}]`);
const ESCAPE_RE = new RegExp(ESCAPE_SOURCE);
const REMOVED_RE = new RegExp(`[${CONTROL_CLASS}${INVISIBLE_CLASS}]`);
/** A run of removed things: terminal escapes, control and invisible characters. */
const REMOVED_RUN_RE = new RegExp(`(?:${REMOVED_SOURCE})+`, 'g');
const ESCAPE_AT_RE = /\\(?:u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|(["'\\/bfnrt]))/g;
const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
/** Escaped text inside escaped text inside a log line is common; deeper nesting is not. */
const MAX_DECODES = 3;

export function needsViews(text: string): boolean {
  return NEEDS_VIEW_RE.test(text);
}

/**
 * The views of `text` that differ from it (see above): the decoded text, and
 * when characters are removed, its glued and separated forms. Empty when
 * `text` has nothing to decode or remove.
 */
export function readableViews(text: string): View[] {
  if (!needsViews(text)) return [];
  const decoded = decodeAll(text);
  if (!REMOVED_RE.test(decoded.text)) return [decoded];
  return [strip(decoded, ''), strip(decoded, ' ')];
}

/** `text` as a reader sees it, glued: what a secret's placeholder hash is computed from. */
export function canonical(text: string): string {
  return needsViews(text) ? strip(decodeAll(text), '').text : text;
}

const ORIGINAL = (text: string): View => ({ text, source: (from, to) => ({ start: from, end: to }) });

/**
 * Collects a view from slices of its input and single replacement characters,
 * remembering one segment per slice or replacement: where it starts in the
 * view, which input range it stands for, and whether it is a copy (char for
 * char) or one character for the whole range. Sized up front from the
 * number of changes, so building costs a few typed-array writes per change.
 */
class Builder {
  private readonly parts: string[] = [];
  private readonly at: Int32Array;
  private readonly from: Int32Array;
  private readonly to: Int32Array;
  private readonly copied: Uint8Array;
  private segments = 0;
  private length = 0;
  constructor(
    private readonly input: View,
    changes: number,
  ) {
    const capacity = 2 * changes + 1;
    this.at = new Int32Array(capacity);
    this.from = new Int32Array(capacity);
    this.to = new Int32Array(capacity);
    this.copied = new Uint8Array(capacity);
  }
  copy(from: number, to: number): void {
    if (to > from) this.segment(this.input.text.slice(from, to), from, to, 1);
  }
  put(ch: string, from: number, to: number): void {
    this.segment(ch, from, to, 0);
  }
  private segment(text: string, from: number, to: number, copied: number): void {
    const k = this.segments++;
    this.parts.push(text);
    this.at[k] = this.length;
    this.from[k] = from;
    this.to[k] = to;
    this.copied[k] = copied;
    this.length += text.length;
  }
  view(): View {
    const { at, from, to, copied, input, segments } = this;
    /** Input range of view character i. */
    const inputOf = (i: number): [number, number] => {
      let lo = 0;
      let hi = segments - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (at[mid]! <= i) lo = mid;
        else hi = mid - 1;
      }
      if (!copied[lo]) return [from[lo]!, to[lo]!];
      const k = from[lo]! + (i - at[lo]!);
      return [k, k + 1];
    };
    return {
      text: this.parts.join(''),
      source: (start, end) => input.source(inputOf(start)[0], inputOf(end - 1)[1]),
    };
  }
}

function decodeAll(text: string): View {
  let view = ORIGINAL(text);
  for (let n = 0; n < MAX_DECODES && ESCAPE_RE.test(view.text); n++) view = decodeOnce(view);
  return view;
}

/** One round of JSON/JS string unescaping; a backslash that starts no escape stays as it is. */
function decodeOnce(input: View): View {
  const escapes = [...input.text.matchAll(new RegExp(ESCAPE_AT_RE.source, ESCAPE_AT_RE.flags))];
  const out = new Builder(input, escapes.length);
  let last = 0;
  for (const m of escapes) {
    const hex = m[1] ?? m[2];
    out.copy(last, m.index);
    out.put(hex !== undefined ? String.fromCharCode(Number.parseInt(hex, 16)) : SIMPLE_ESCAPES[m[3]!]!, m.index, m.index + m[0].length);
    last = m.index + m[0].length;
  }
  out.copy(last, input.text.length);
  return out.view();
}

/** Terminal escapes, controls and invisibles removed; each removed run becomes `sep` ('' or one space). */
function strip(input: View, sep: string): View {
  const runs = [...input.text.matchAll(new RegExp(REMOVED_RUN_RE.source, REMOVED_RUN_RE.flags))];
  const out = new Builder(input, runs.length);
  let last = 0;
  for (const m of runs) {
    out.copy(last, m.index);
    if (sep) out.put(sep, m.index, m.index + m[0].length);
    last = m.index + m[0].length;
  }
  out.copy(last, input.text.length);
  return out.view();
}
