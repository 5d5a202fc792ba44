/**
 * A small streaming RFC 4180 reader, fed one physical line at a time.
 *
 * Fields are separated by commas; a field that starts with `"` is quoted and
 * may hold commas, doubled quotes (`""` → `"`) and line breaks. A quoted field
 * left open at the end of a line continues on the next one (commit messages in
 * Commit Guru exports do this), up to `maxLines` physical lines: past that the
 * record is given up and reported, and reading resumes on the next line, so a
 * stray quote costs a bounded number of lines, never the rest of the file.
 * Leniencies: a `"` inside an unquoted field is kept as a character, blanks
 * around a quoted field are ignored, and a trailing `\r` is dropped.
 */
export type CsvStep =
  | { kind: 'record'; fields: string[]; line: number }
  | { kind: 'pending' }
  | { kind: 'blank' }
  | { kind: 'error'; line: number; message: string };

export class CsvRecordReader {
  private fields: string[] = [];
  private field = '';
  private inQuotes = false;
  private startLine = 0;
  private spanned = 0;

  constructor(private readonly maxLines = 1000) {}

  /** Feed one physical line (without its line break) and its 1-based number. */
  push(raw: string, lineNo: number): CsvStep {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!this.inQuotes) {
      if (line.trim() === '') return { kind: 'blank' };
      this.startLine = lineNo;
      this.spanned = 0;
      // Fast path: most rows of metric exports have no quotes at all.
      if (!line.includes('"')) return { kind: 'record', fields: line.split(','), line: lineNo };
    }
    this.spanned++;
    const problem = this.scan(line);
    if (problem) {
      this.reset();
      return { kind: 'error', line: this.startLine, message: problem };
    }
    if (this.inQuotes) {
      if (this.spanned >= this.maxLines) {
        const from = this.startLine;
        this.reset();
        return {
          kind: 'error',
          line: from,
          message: `unterminated quoted field: the record runs past ${this.maxLines} lines; lines ${from}-${lineNo} skipped`,
        };
      }
      this.field += '\n';
      return { kind: 'pending' };
    }
    this.fields.push(this.field);
    const fields = this.fields;
    this.reset();
    return { kind: 'record', fields, line: this.startLine };
  }

  /** End of input: a quoted field still open is an error. */
  end(lastLine: number): CsvStep | undefined {
    if (!this.inQuotes) return undefined;
    const from = this.startLine;
    this.reset();
    return { kind: 'error', line: from, message: `unterminated quoted field at end of file; lines ${from}-${lastLine} skipped` };
  }

  private reset(): void {
    this.fields = [];
    this.field = '';
    this.inQuotes = false;
  }

  /** Consume one line into the current record; returns an error message for malformed quoting. */
  private scan(line: string): string | undefined {
    let closed = false; // the current field was quoted and its closing quote seen
    for (let i = 0; i < line.length; i++) {
      const ch = line.charAt(i);
      if (this.inQuotes) {
        if (ch === '"') {
          if (line[i + 1] === '"') {
            this.field += '"';
            i++;
          } else {
            this.inQuotes = false;
            closed = true;
          }
        } else this.field += ch;
      } else if (ch === ',') {
        this.fields.push(this.field);
        this.field = '';
        closed = false;
      } else if (closed) {
        if (ch !== ' ' && ch !== '\t') return `unexpected ${JSON.stringify(ch)} after a closing quote in field ${this.fields.length + 1}`;
      } else if (ch === '"' && this.field.trim() === '') {
        this.field = '';
        this.inQuotes = true;
      } else this.field += ch;
    }
    return undefined;
  }
}

/** One line of CSV into fields (a quoted field left open is an error). */
export function parseCsvLine(line: string): string[] | { error: string } {
  const step = new CsvRecordReader().push(line, 1);
  if (step.kind === 'record') return step.fields;
  if (step.kind === 'blank') return [''];
  return { error: step.kind === 'error' ? step.message : 'unterminated quoted field' };
}
