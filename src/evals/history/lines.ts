import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { readHistory, type HistoryReadItem, type ReadHistoryOptions } from './read.js';

/** A file's lines, streamed (CRLF or LF); stopping early closes the file. */
export async function* fileLines(path: string): AsyncGenerator<string> {
  const input = createReadStream(path, { encoding: 'utf8' });
  const rl = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of rl) yield line;
  } finally {
    rl.close();
    input.destroy();
  }
}

/** `readHistory` over a file; the file name picks the format unless `opts.format` does. */
export function readHistoryFile(path: string, opts: Omit<ReadHistoryOptions, 'fileName'> = {}): AsyncGenerator<HistoryReadItem> {
  return readHistory(fileLines(path), { ...opts, fileName: path });
}
