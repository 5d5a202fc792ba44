import { MAX_DOCUMENT_CHARS, type DocumentInput } from '../../contracts/documents.js';
import { baseName, finishDocument, isRecord, parseTime, type ParseInput, type ParseResult } from './common.js';

export interface LogSegment {
  text: string;
  /** 1-based, inclusive line numbers in the source file. */
  firstLine: number;
  lastLine: number;
}

/**
 * Accumulates lines into segments of at most `maxChars` (lines joined by
 * "\n"). Holds only the segment being built, so a log of any size streams
 * through in bounded memory.
 */
export class LogSegmenter {
  private lines: string[] = [];
  private size = 0;
  private first = 0;
  private lineNo = 0;
  private readonly maxChars: number;

  constructor(maxChars: number) {
    // Room for the truncation marker on an overlong line.
    if (!(maxChars >= 64)) throw new RangeError('maxChars must be at least 64');
    this.maxChars = maxChars;
  }

  /** Add the next line; returns a finished segment when this line did not fit in it. */
  push(raw: string): LogSegment | undefined {
    this.lineNo++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const fitted = line.length <= this.maxChars ? line : truncate(line, this.maxChars);
    let done: LogSegment | undefined;
    if (this.lines.length > 0 && this.size + 1 + fitted.length > this.maxChars) done = this.flush();
    if (this.lines.length === 0) this.first = this.lineNo;
    this.size += (this.lines.length > 0 ? 1 : 0) + fitted.length;
    this.lines.push(fitted);
    return done;
  }

  /** The segment in progress, if any (call at end of input). */
  flush(): LogSegment | undefined {
    if (this.lines.length === 0) return undefined;
    const segment = { text: this.lines.join('\n'), firstLine: this.first, lastLine: this.first + this.lines.length - 1 };
    this.lines = [];
    this.size = 0;
    return segment;
  }
}

function truncate(line: string, max: number): string {
  const marker = ` …[line truncated: ${line.length} chars]`;
  return line.slice(0, Math.max(0, max - marker.length)) + marker;
}

/**
 * Stream a huge log as consecutive segments no larger than `maxChars`, each
 * small enough to be one document. Every input line lands in exactly one
 * segment; a single line longer than maxChars is truncated with a marker.
 */
export async function* segmentLogLines(lines: AsyncIterable<string>, opts: { maxChars: number }): AsyncGenerator<LogSegment> {
  const segmenter = new LogSegmenter(opts.maxChars);
  for await (const line of lines) {
    const done = segmenter.push(line);
    if (done) yield done;
  }
  const last = segmenter.flush();
  if (last) yield last;
}

const TEXT_TIME = /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?/;
const JSON_TIME_KEYS = ['ts', 'time', 'timestamp', '@timestamp'];
/** Only the head of a log is searched: the first timestamp is near the top or nowhere. */
const TIME_SCAN_LINES = 1000;

/** First timestamp in a log: ISO 8601, `YYYY-MM-DD HH:MM:SS`, or a JSON line's ts/time field. */
export function firstLogTimestamp(text: string): Date | undefined {
  let start = 0;
  for (let n = 0; n < TIME_SCAN_LINES && start < text.length; n++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line.startsWith('{')) {
      try {
        const rec: unknown = JSON.parse(line);
        if (isRecord(rec)) {
          for (const key of JSON_TIME_KEYS) {
            const d = parseTime(rec[key]);
            if (d) return d;
          }
        }
      } catch {
        // fall through to the text scan
      }
    }
    const m = TEXT_TIME.exec(line);
    const d = m ? parseTime(m[0]) : undefined;
    if (d) return d;
  }
  return undefined;
}

/**
 * A deploy log file is one document titled by its file name. A file over
 * MAX_DOCUMENT_CHARS is cut into line-aligned parts rather than rejected.
 */
export function parseDeployLog(input: ParseInput): ParseResult {
  const name = baseName(input.fileName);
  const whole = firstLogTimestamp(input.content) ?? input.fallbackTime;
  const parts: LogSegment[] = [];
  if (input.content.length <= MAX_DOCUMENT_CHARS) {
    parts.push({ text: input.content, firstLine: 1, lastLine: input.content.split('\n').length });
  } else {
    const segmenter = new LogSegmenter(MAX_DOCUMENT_CHARS);
    for (const line of input.content.split('\n')) {
      const done = segmenter.push(line);
      if (done) parts.push(done);
    }
    const last = segmenter.flush();
    if (last) parts.push(last);
  }
  const documents: DocumentInput[] = [];
  const errors: ParseResult['errors'] = [];
  for (const part of parts) {
    if (part.text.trim() === '') continue;
    const title = parts.length > 1 ? `${name} (lines ${part.firstLine}-${part.lastLine})` : name;
    const occurredAt = parts.length > 1 ? (firstLogTimestamp(part.text) ?? whole) : whole;
    const doc = finishDocument(input, { title, body: part.text, occurredAt });
    if (typeof doc === 'string') errors.push(parts.length > 1 ? { line: part.firstLine, message: doc } : { message: doc });
    else documents.push(doc);
  }
  if (documents.length === 0 && errors.length === 0) errors.push({ message: 'empty log' });
  return { documents, errors };
}
