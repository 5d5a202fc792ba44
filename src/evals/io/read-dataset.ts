import fs from 'node:fs';
import readline from 'node:readline';
import type { HistoryRecord } from '../../contracts/evals.js';
import { readHistory } from '../history/index.js';

/** More rows than this is refused: the replay holds records in memory (about 300 B each). */
export const MAX_RECORDS = 2_000_000;

export interface DatasetRead {
  records: HistoryRecord[];
  errors: { line: number; message: string }[];
  lines: number;
}

/** Streams a history file (JSONL or CSV) line by line; bad rows are reported, never half-read. */
export async function readDataset(
  file: string,
  opts: { service?: string; onProgress?: (bytes: number, total: number) => void } = {},
): Promise<DatasetRead> {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile()) throw new Error(`no such file: ${file}`);
  const input = fs.createReadStream(file, { encoding: 'utf8' });
  let bytes = 0;
  let lines = 0;
  input.on('data', (chunk) => {
    bytes += Buffer.byteLength(chunk as string);
    opts.onProgress?.(bytes, stat.size);
  });
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  const counted = (async function* () {
    for await (const line of rl) {
      lines++;
      yield line;
    }
  })();
  const records: HistoryRecord[] = [];
  const errors: DatasetRead['errors'] = [];
  const format = file.toLowerCase().endsWith('.csv') ? 'csv' : 'auto';
  for await (const item of readHistory(counted, { format, fileName: file, ...(opts.service ? { service: opts.service } : {}) })) {
    if (item.error) errors.push(item.error);
    else if (item.record) {
      if (records.length >= MAX_RECORDS) {
        input.destroy();
        throw new Error(`${file} holds more than ${MAX_RECORDS.toLocaleString('en')} rows; split it by service or time`);
      }
      records.push(item.record);
    }
  }
  return { records, errors, lines };
}
