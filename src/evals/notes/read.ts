/**
 * Reads a notes dataset (JSONL, one release per line) into labelled
 * releases. A line that is not JSON, or not a release, is an error naming
 * its line: a dataset with a broken line is not scored partly.
 */
import fs from 'node:fs';
import { ValidationError } from '../../contracts/errors.js';
import { type LabelledRelease, labelledReleases } from '../../notes/dataset.js';

export class NotesDatasetError extends ValidationError {}

export function parseNotesDataset(text: string, name = 'dataset'): LabelledRelease[] {
  const records: unknown[] = [];
  const lineOf: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    try {
      records.push(JSON.parse(line));
      lineOf.push(i + 1);
    } catch (err) {
      throw new NotesDatasetError(`${name}:${i + 1}: not JSON (${(err as Error).message})`);
    }
  });
  if (records.length === 0) throw new NotesDatasetError(`${name}: no releases (the file is empty)`);
  try {
    return labelledReleases(records);
  } catch (err) {
    // labelledReleases names the record; say the file line instead.
    const m = /^record (\d+): (.*)$/s.exec((err as Error).message);
    if (m) throw new NotesDatasetError(`${name}:${lineOf[Number(m[1]) - 1]}: ${m[2]}`);
    throw err;
  }
}

export function readNotesDataset(file: string): LabelledRelease[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new NotesDatasetError(code === 'ENOENT' ? `${file}: no such file` : `${file}: ${(err as Error).message}`);
  }
  return parseNotesDataset(text, file);
}
