/**
 * Reads series in the Numenta Anomaly Benchmark's layout
 * (DIR/<folder>/<file>.csv with `timestamp,value`, times in UTC like
 * `2014-04-10 00:04:00`) and its labelled anomaly windows
 * (combined_windows.json), which the generator keeps its segments out of:
 * a labelled anomaly is not "the same behaviour".
 */
import fs from 'node:fs';
import path from 'node:path';

export interface NabSeries {
  /** `<folder>/<file>.csv`, as NAB names it. */
  name: string;
  /** Epoch ms. */
  times: number[];
  values: number[];
  /** Labelled anomaly windows, epoch ms. */
  windows: [number, number][];
}

/** NAB's timestamps carry no zone; they are UTC. Windows add microseconds (`…00.000000`): compare instants, not strings. */
export function parseNabTime(text: string): number {
  const iso = text
    .trim()
    .replace(' ', 'T')
    .replace(/(\.\d{3})\d*$/, '$1');
  const ms = Date.parse(iso.endsWith('Z') ? iso : `${iso}Z`);
  if (!Number.isFinite(ms)) throw new Error(`not a NAB timestamp: ${text}`);
  return ms;
}

export function readNabCsv(file: string): { times: number[]; values: number[] } {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const times: number[] = [];
  const values: number[] = [];
  for (const line of lines.slice(1)) {
    if (!line.trim()) continue;
    const [t, v] = line.split(',');
    const value = Number(v);
    if (t === undefined || !Number.isFinite(value)) continue;
    times.push(parseNabTime(t));
    values.push(value);
  }
  return { times, values };
}

/** Every CSV under DIR/<folder>/ for the given folders, sorted by name, with its windows when a windows file is given. */
export function readNab(dir: string, folders: readonly string[], windowsFile: string | null): NabSeries[] {
  const windows: Record<string, [string, string][]> = windowsFile ? JSON.parse(fs.readFileSync(windowsFile, 'utf8')) : {};
  const out: NabSeries[] = [];
  for (const folder of folders) {
    const full = path.join(dir, folder);
    if (!fs.existsSync(full)) throw new Error(`${full}: no such folder (expected DIR/<folder>/<file>.csv)`);
    for (const file of fs
      .readdirSync(full)
      .filter((f) => f.endsWith('.csv'))
      .sort()) {
      const name = `${folder}/${file}`;
      out.push({
        name,
        ...readNabCsv(path.join(full, file)),
        windows: (windows[name] ?? []).map(([a, b]) => [parseNabTime(a), parseNabTime(b)] as [number, number]),
      });
    }
  }
  return out;
}
