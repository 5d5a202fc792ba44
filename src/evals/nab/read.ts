import fs from 'node:fs';
import path from 'node:path';
import type { CostProfile } from './scorer.js';

/** Bad input the user can fix; the message names the file (and line). */
export class NabInputError extends Error {}

export interface NabRow {
  /** The row's text as given, written back unchanged. */
  timestamp: string;
  value: string;
  /** The instant in ms (timestamps without a zone are UTC, as in NAB). */
  at: number;
  /** NaN when the value is empty or a NaN/null token: the detector is told the point is missing. */
  number: number;
}

export interface NabFile {
  /** folder/file.csv, the key NAB's windows file uses. */
  key: string;
  path: string;
  rows: NabRow[];
}

const NAB_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;
const MISSING = new Set(['', 'nan', 'null', 'none', 'na']);

/** NAB's `2014-04-10 00:00:00` and the windows' `2014-04-10 00:00:00.000000` are the same instant. */
export function parseInstant(text: string): number {
  const m = NAB_TIME.exec(text.trim());
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s ?? 0),
    Number((frac ?? '0').padEnd(3, '0').slice(0, 3)),
  );
  if (Number.isNaN(ms) || new Date(ms).getUTCDate() !== Number(d)) return Number.NaN;
  if (!zone || zone === 'Z') return ms;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return ms - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

/** Splits one CSV line of two plain cells; NAB files have no quoting. */
function cells(line: string): string[] {
  return line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
}

export function parseNabCsv(text: string, name: string): NabRow[] {
  const lines = text.split(/\r?\n/);
  const header = cells(lines[0] ?? '').map((c) => c.toLowerCase());
  if (header[0] !== 'timestamp' || header[1] !== 'value') {
    throw new NabInputError(`${name}:1: expected the header "timestamp,value", found "${(lines[0] ?? '').slice(0, 80)}"`);
  }
  const rows: NabRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const where = `${name}:${i + 1}`;
    const c = cells(line);
    if (c.length < 2) throw new NabInputError(`${where}: expected "timestamp,value", found "${line.slice(0, 80)}"`);
    const at = parseInstant(c[0]!);
    if (Number.isNaN(at)) throw new NabInputError(`${where}: "${c[0]}" is not a timestamp (2014-04-10 00:00:00 or an ISO instant)`);
    // Repeated instants are allowed (NAB's own CloudWatch files repeat a few at a clock change); going back is not.
    const prev = rows[rows.length - 1];
    if (prev && at < prev.at) throw new NabInputError(`${where}: timestamp ${c[0]} is before the previous row's (${prev.timestamp})`);
    const raw = c[1]!;
    let number = Number.NaN;
    if (!MISSING.has(raw.toLowerCase())) {
      number = Number(raw);
      if (Number.isNaN(number))
        throw new NabInputError(`${where}: value "${raw.slice(0, 40)}" is not a number (leave it empty for a missing point)`);
    }
    rows.push({ timestamp: c[0]!, value: raw, at, number });
  }
  if (rows.length === 0) throw new NabInputError(`${name}: no rows after the header`);
  return rows;
}

/** DIR/<folder>/<file>.csv, in a stable order (folders, then files, by name). */
export function listCorpus(dir: string): { key: string; path: string }[] {
  let folders: fs.Dirent[];
  try {
    folders = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new NabInputError(code === 'ENOENT' ? `data directory ${dir} does not exist` : `cannot read ${dir}: ${(err as Error).message}`);
  }
  const files = folders
    .filter((f) => f.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((f) =>
      fs
        .readdirSync(path.join(dir, f.name))
        .filter((n) => n.toLowerCase().endsWith('.csv'))
        .sort()
        .map((n) => ({ key: `${f.name}/${n}`, path: path.join(dir, f.name, n) })),
    );
  if (files.length === 0)
    throw new NabInputError(`${dir}: no <folder>/<file>.csv found (NAB's layout: DIR/realAWSCloudwatch/ec2_cpu_utilization_24ae8d.csv)`);
  return files;
}

export function readNabFile(entry: { key: string; path: string }): NabFile {
  return { ...entry, rows: parseNabCsv(fs.readFileSync(entry.path, 'utf8'), entry.key) };
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new NabInputError(`${what} ${file}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new NabInputError(`${what} ${file}: not JSON (${(err as Error).message})`);
  }
}

export type Windows = Map<string, [number, number][]>;

/**
 * NAB's combined_windows.json: {"folder/file.csv": [["start", "end"], …]}.
 * Windows must be in order and must not overlap, as NAB requires.
 */
export function readWindows(file: string): Windows {
  const json = readJson(file, 'windows');
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    throw new NabInputError(`windows ${file}: expected {"folder/file.csv": [["start", "end"], …]}`);
  }
  const out: Windows = new Map();
  for (const [key, list] of Object.entries(json)) {
    if (!Array.isArray(list)) throw new NabInputError(`windows ${file}: "${key}" is not a list of [start, end] pairs`);
    const windows: [number, number][] = [];
    for (const w of list) {
      const pair = Array.isArray(w) && w.length === 2 ? w.map((t) => (typeof t === 'string' ? parseInstant(t) : Number.NaN)) : [];
      const [start, end] = pair;
      if (start === undefined || end === undefined || Number.isNaN(start) || Number.isNaN(end) || end < start) {
        throw new NabInputError(`windows ${file}: "${key}" has a bad window ${JSON.stringify(w)}`);
      }
      const prev = windows[windows.length - 1];
      if (prev && start <= prev[1]) throw new NabInputError(`windows ${file}: "${key}" has overlapping or unordered windows`);
      windows.push([start, end]);
    }
    out.set(key.replace(/\\/g, '/'), windows);
  }
  return out;
}

export const DEFAULT_PROFILES: Record<string, CostProfile> = {
  standard: { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 },
  reward_low_FP_rate: { tpWeight: 1, fpWeight: 0.22, fnWeight: 1 },
  reward_low_FN_rate: { tpWeight: 1, fpWeight: 0.11, fnWeight: 2 },
};

/** NAB's profiles.json: {"standard": {"CostMatrix": {"tpWeight", "fpWeight", "fnWeight", …}}, …}. */
export function readProfiles(file: string): Record<string, CostProfile> {
  const json = readJson(file, 'profiles');
  if (!json || typeof json !== 'object' || Array.isArray(json))
    throw new NabInputError(`profiles ${file}: expected {"name": {"CostMatrix": {…}}}`);
  const out: Record<string, CostProfile> = {};
  for (const [name, p] of Object.entries(json)) {
    const m = (p as { CostMatrix?: Record<string, unknown> })?.CostMatrix;
    const w = (k: string) => (typeof m?.[k] === 'number' && Number.isFinite(m[k]) && m[k] >= 0 ? (m[k] as number) : undefined);
    const tpWeight = w('tpWeight');
    const fpWeight = w('fpWeight');
    const fnWeight = w('fnWeight');
    if (tpWeight === undefined || fpWeight === undefined || fnWeight === undefined) {
      throw new NabInputError(`profiles ${file}: "${name}" needs CostMatrix.tpWeight, fpWeight and fnWeight (non-negative numbers)`);
    }
    out[name] = { tpWeight, fpWeight, fnWeight };
  }
  if (Object.keys(out).length === 0) throw new NabInputError(`profiles ${file}: no profile`);
  return out;
}
