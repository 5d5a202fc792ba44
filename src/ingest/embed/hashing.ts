import type { Embedder } from '../../contracts/embedder.js';

/**
 * The default local embedder: signed feature hashing of words, word bigrams and
 * character n-grams. Pure and deterministic (no state survives between calls,
 * no network), so the same text always gives the same vector on any machine.
 *
 * Tuned for release evidence rather than prose: log lines, stack traces, file
 * paths, identifiers and error strings.
 *
 * Tokens. Text is cut into runs of letters, digits and `_ . / \ - :`; each run
 * is split into segments on those separators and each segment into atoms on
 * camelCase and letter/digit boundaries, lowercased. So `src/payments/charge.ts`
 * gives the atoms src, payments, charge, ts; `paymentService` gives payment,
 * service; `ECONNRESET` stays econnreset. An identifier run (two or more atoms,
 * all containing letters) is also kept whole, and so is each path piece of
 * it (`charge.ts`), so an exact identifier match counts more than its parts.
 *
 * Masking, so volatile values do not make equal events look different:
 * - numbers -> `<num>` (ids, durations, ports, line:col), except a lone number
 *   of 1-3 digits (HTTP status, exit code: they carry meaning) and 1-3 digits
 *   ending a word (utf8, sha256, v2); a number leading a word is a quantity
 *   with a unit (`87ms`, `5s`) and is masked;
 * - runs whose every segment has a digit and digits dominate (dates, times,
 *   IPs, versions, `12.5ms`) -> one `<num>`;
 * - hex-looking segments with a digit (`8f3a9c2e`, uuid parts, `0xdead`) -> `<hex>`;
 * - other segments of 5+ chars alternating letters and digits 3+ times
 *   (`x2kqz`, `01T12`, base62 ids) -> `<id>`.
 * Masks take part in bigrams ("request <hex>") but are not unigrams: nearly
 * every log line has a timestamp, so "has a number" is no evidence.
 *
 * Feature families and weights. Each family is hashed into its own vector,
 * L2-normalised, multiplied by its weight, summed, and the sum normalised. So
 * the cosine of two texts is roughly the weighted mean of the per-family
 * cosines, with shares 1 : 0.49 : 0.16 (weights squared):
 * - words 1.0: exact token overlap (error codes, service and file names) is the
 *   strongest evidence we have without corpus statistics;
 * - bigrams 0.7: order and phrase ("connection reset", "payments charge"); more
 *   specific but sparser, and they partly repeat the unigram evidence;
 * - char 3-5-grams 0.4: fuzzy matching (payment/payments, charge/charging,
 *   identifiers cut differently); noisy, since unrelated words share n-grams.
 *   Normalising per family is the "scaling by count": a text has ~3 n-grams
 *   per character, which would otherwise drown the words.
 * Term weight is 1 + ln(tf), so a line repeated 1000 times in a log does not
 * swamp the rest. The sign of each feature comes from a separate hash bit
 * (signed hashing keeps collisions zero-mean instead of inflating cosines).
 *
 * Empty or featureless text (only stopwords/punctuation) gets a fixed unit
 * vector, the hash of "__empty__", not a zero vector: pgvector's cosine distance
 * of a zero vector is NaN, which would poison ordering.
 */
export class HashingEmbedder implements Embedder {
  readonly id = 'hashing-v1';
  readonly dimension: number;
  /**
   * What a worker thread needs to build the same embedder: it is pure, so the
   * vectors are bit-identical in any thread (ingest/threads). A subclass that
   * changes `embed` must not keep this.
   */
  readonly threadSpec: { kind: 'hashing'; dimension: number } | undefined;

  /** @param opts.dimension vector length; default 384 (fits the default index). */
  constructor(opts: { dimension?: number } = {}) {
    const dimension = opts.dimension ?? 384;
    if (!Number.isInteger(dimension) || dimension < 8) {
      throw new Error(`HashingEmbedder dimension must be an integer >= 8, got ${dimension}`);
    }
    this.dimension = dimension;
    this.threadSpec = { kind: 'hashing', dimension };
  }

  async embed(texts: readonly string[]): Promise<number[][]> {
    return texts.map((t) => embedOne(t, this.dimension));
  }
}

const WORD_WEIGHT = 1.0;
const BIGRAM_WEIGHT = 0.7;
const CHAR_WEIGHT = 0.4;
/** Char n-grams of an atom beyond this length add only noise (base64 blobs, minified code). */
const MAX_NGRAM_ATOM = 40;

// Family seeds keep a word and a char n-gram with the same letters apart.
const WORD_SEED = 0x9e3779b9;
const BIGRAM_SEED = 0x85ebca6b;
const CHAR_SEED = 0xc2b2ae35;

// Frequent function words: without IDF they would make unrelated sentences look alike.
const STOPWORDS = new Set(
  'a an the and or of to in on at for is are was were be been being it its this that these those with as by from into then than so if'.split(
    ' ',
  ),
);

const RUN = /[\p{L}\p{N}_./\\:-]+/gu;
const SEPARATORS = /[_./\\:-]+/;
const PATH_SEP = /[/\\]/;
const HEXISH = /^(?:0x[0-9a-f]+|(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{4,})$/i;

/** The content atoms of a text, lowercased and masked, stopwords removed (what the word family hashes). */
export function tokenize(text: string): string[] {
  const atoms: string[] = [];
  for (const m of text.matchAll(RUN)) analyseRun(m[0], atoms, null);
  return atoms;
}

function embedOne(text: string, dim: number): number[] {
  const { words, bigrams, chars } = counters;
  words.clear();
  bigrams.clear();
  chars.clear();
  const atoms: string[] = [];
  for (const m of text.matchAll(RUN)) analyseRun(m[0], atoms, words);

  let prev = 0;
  for (let i = 0; i < atoms.length; i++) {
    const atom = atoms[i]!;
    const h = hashString(atom, WORD_SEED);
    const masked = atom.charCodeAt(0) === 60; // '<num>', '<hex>', '<id>'
    if (!masked) words.add(h);
    if (i > 0) bigrams.add(fmix(Math.imul(prev ^ BIGRAM_SEED, 0x01000193) + h));
    prev = h;
    if (!masked && !isDigit(atom.charCodeAt(0))) charNgrams(atom, chars);
  }

  const out = new Float64Array(dim);
  const scratch = new Float64Array(dim);
  let any = addFamily(out, scratch, words, WORD_WEIGHT);
  any = addFamily(out, scratch, bigrams, BIGRAM_WEIGHT) || any;
  any = addFamily(out, scratch, chars, CHAR_WEIGHT) || any;
  if (!any) return oneHot(hashString('__empty__', WORD_SEED), dim);
  let sq = 0;
  for (let i = 0; i < dim; i++) sq += out[i]! * out[i]!;
  const norm = Math.sqrt(sq);
  // Signed features can cancel exactly in theory; fall back rather than divide by zero.
  if (!(norm > 0)) return oneHot(hashString('__empty__', WORD_SEED), dim);
  return Array.from(out, (v) => v / norm);
}

/**
 * Splits one run into atoms (appended to `atoms`). When `compounds` is given,
 * identifier-like wholes (the run, and each path piece) are counted into it.
 */
function analyseRun(raw: string, atoms: string[], compounds: Counter | null): void {
  const run = raw.replace(/^[_./\\:-]+|[_./\\:-]+$/g, '');
  if (run === '') return;
  if (mostlyDigits(run)) {
    atoms.push('<num>');
    return;
  }
  const pieces = run.split(PATH_SEP);
  let runAtoms = 0;
  let runWordy = true;
  for (const piece of pieces) {
    const start = atoms.length;
    for (const seg of piece.split(SEPARATORS)) if (seg !== '') segmentAtoms(seg, atoms, run.length === seg.length);
    let wordy = true;
    for (let i = start; i < atoms.length; i++) if (!hasLetter(atoms[i]!)) wordy = false;
    const n = atoms.length - start;
    if (compounds && pieces.length > 1 && n >= 2 && wordy) compounds.add(hashString(piece.toLowerCase(), WORD_SEED));
    runAtoms += n;
    runWordy &&= wordy;
  }
  if (compounds && runAtoms >= 2 && runWordy) compounds.add(hashString(run.toLowerCase(), WORD_SEED));
  // Stopwords are dropped after compounds are decided, so "is_active" still counts whole.
  for (let i = atoms.length - 1, end = atoms.length - runAtoms; i >= end; i--) {
    if (STOPWORDS.has(atoms[i]!)) atoms.splice(i, 1);
  }
}

/** `lone`: the segment is the whole run, so a short number is kept (a status, not a line:col). */
function segmentAtoms(seg: string, atoms: string[], lone: boolean): void {
  if (isAllDigits(seg)) {
    atoms.push(lone && seg.length <= 3 ? seg : '<num>');
    return;
  }
  if (HEXISH.test(seg)) {
    atoms.push('<hex>');
    return;
  }
  if (seg.length >= 5 && letterDigitRuns(seg) >= 3) {
    atoms.push('<id>');
    return;
  }
  // Cut at aB (camelCase), ABc (HTTPServer -> HTTP|Server) and letter/digit boundaries.
  let start = 0;
  for (let i = 1; i < seg.length; i++) {
    const p = seg.charCodeAt(i - 1);
    const c = seg.charCodeAt(i);
    const n = i + 1 < seg.length ? seg.charCodeAt(i + 1) : 0;
    if ((isLower(p) && isUpper(c)) || (isUpper(p) && isUpper(c) && isLower(n)) || isDigit(p) !== isDigit(c)) {
      pushPart(seg.slice(start, i), start === 0, atoms);
      start = i;
    }
  }
  pushPart(seg.slice(start), start === 0, atoms);
}

function pushPart(part: string, leading: boolean, atoms: string[]): void {
  if (isAllDigits(part)) atoms.push(leading || part.length >= 4 ? '<num>' : part);
  else atoms.push(part.toLowerCase());
}

/** Char 3-5-grams of `<atom>`, hashed incrementally over char codes: no substring per n-gram. */
function charNgrams(atom: string, chars: Counter): void {
  const len = Math.min(atom.length, MAX_NGRAM_ATOM) + 2;
  for (let i = 0; i + 3 <= len; i++) {
    let h = (0x811c9dc5 ^ CHAR_SEED) >>> 0;
    for (let n = 1; n <= 5 && i + n <= len; n++) {
      const j = i + n - 1; // position in "<atom>"; no closure here, it is the hot loop
      h = Math.imul(h ^ (j === 0 ? 60 : j === len - 1 ? 62 : atom.charCodeAt(j - 1)), 0x01000193);
      if (n >= 3) chars.add(fmix(h));
    }
  }
}

function addFamily(out: Float64Array, scratch: Float64Array, counts: Counter, weight: number): boolean {
  if (counts.size === 0) return false;
  scratch.fill(0);
  const dim = scratch.length;
  for (let k = 0; k < counts.size; k++) {
    const at = counts.used[k]!;
    const h = counts.keys[at]!;
    // Bit 0 gives the sign and bits 1..31 the slot, so the two are independent.
    const slot = (h >>> 1) % dim;
    scratch[slot] = (scratch[slot] ?? 0) + (h & 1 ? -1 : 1) * (1 + Math.log(counts.counts[at]!));
  }
  let sq = 0;
  for (let i = 0; i < dim; i++) sq += scratch[i]! * scratch[i]!;
  if (sq === 0) return false;
  const k = weight / Math.sqrt(sq);
  for (let i = 0; i < dim; i++) out[i] = out[i]! + k * scratch[i]!;
  return true;
}

function oneHot(h: number, dim: number): number[] {
  const v = new Array<number>(dim).fill(0);
  v[(h >>> 1) % dim] = h & 1 ? -1 : 1;
  return v;
}

/**
 * Term counts keyed by 32-bit feature hash: open addressing over typed arrays,
 * reused across texts (a Map per text cost more than all the hashing).
 * Key 0 marks an empty slot, so a feature hashing to 0 is counted as 1.
 */
class Counter {
  keys = new Uint32Array(1024);
  counts = new Uint32Array(1024);
  /** Occupied slots in insertion order, so iteration and clearing touch only those. */
  used = new Uint32Array(512);
  size = 0;

  add(h: number): void {
    const key = h === 0 ? 1 : h;
    const mask = this.keys.length - 1;
    let at = key & mask;
    for (;;) {
      const k = this.keys[at]!;
      if (k === key) {
        this.counts[at] = this.counts[at]! + 1;
        return;
      }
      if (k === 0) break;
      at = (at + 1) & mask;
    }
    this.keys[at] = key;
    this.counts[at] = 1;
    this.used[this.size++] = at;
    if (this.size >= this.used.length) this.grow();
  }

  clear(): void {
    for (let k = 0; k < this.size; k++) this.keys[this.used[k]!] = 0;
    this.size = 0;
  }

  /** Keeps the load factor at most 1/2. */
  private grow(): void {
    const { keys, counts, used, size } = this;
    this.keys = new Uint32Array(keys.length * 2);
    this.counts = new Uint32Array(keys.length * 2);
    this.used = new Uint32Array(used.length * 2);
    this.size = 0;
    for (let k = 0; k < size; k++) {
      const from = used[k]!;
      const key = keys[from]!;
      const mask = this.keys.length - 1;
      let at = key & mask;
      while (this.keys[at] !== 0) at = (at + 1) & mask;
      this.keys[at] = key;
      this.counts[at] = counts[from]!;
      this.used[this.size++] = at;
    }
  }
}

/** Shared scratch: embedOne is synchronous, so no two texts use them at once. */
const counters = { words: new Counter(), bigrams: new Counter(), chars: new Counter() };

/** FNV-1a over UTF-16 code units, then murmur3's finaliser so every output bit is well mixed. */
export function hashString(s: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix(h);
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Dates, times, IPs, versions, `12.5ms`: several segments, each with a digit, digits dominating. */
function mostlyDigits(run: string): boolean {
  const segments = run.split(SEPARATORS);
  if (segments.length < 2) return false;
  let digits = 0;
  let alnum = 0;
  for (const seg of segments) {
    let segDigits = 0;
    for (let i = 0; i < seg.length; i++) if (isDigit(seg.charCodeAt(i))) segDigits++;
    if (segDigits === 0) return false;
    digits += segDigits;
    alnum += seg.length;
  }
  return digits >= 0.5 * alnum;
}

function letterDigitRuns(seg: string): number {
  let runs = 1;
  for (let i = 1; i < seg.length; i++) if (isDigit(seg.charCodeAt(i)) !== isDigit(seg.charCodeAt(i - 1))) runs++;
  return runs;
}

function isAllDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return s.length > 0;
}

function hasLetter(atom: string): boolean {
  if (atom.charCodeAt(0) === 60) return false; // '<num>', '<hex>', '<id>'
  for (let i = 0; i < atom.length; i++) if (!isDigit(atom.charCodeAt(i))) return true;
  return false;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isUpper = (c: number) => c >= 65 && c <= 90;
const isLower = (c: number) => c >= 97 && c <= 122;
