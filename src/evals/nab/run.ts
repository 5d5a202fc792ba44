import fs from 'node:fs';
import path from 'node:path';
import { createStreamDetector, type StreamDetectorOptions } from '../../advisor/stream/index.js';
import { DEFAULT_PROFILES, listCorpus, NabInputError, type NabFile, readNabFile, readProfiles, readWindows, type Windows } from './read.js';
import {
  bestThreshold,
  type CostProfile,
  type Normalised,
  normalise,
  type PreparedSeries,
  prepareSeries,
  type SeriesScore,
  scoreSeries,
} from './scorer.js';

export interface NabRunOptions {
  dataDir: string;
  outDir: string;
  windowsFile?: string;
  profilesFile?: string;
  detector?: Partial<StreamDetectorOptions>;
  onProgress?: (filesDone: number, filesTotal: number) => void;
}

export interface NabScoreLine extends Normalised {
  /** Windows with a detection / without, and detections outside every window (rows). */
  detected: number;
  missed: number;
  falsePositives: number;
}

export interface NabProfileResult {
  profile: CostProfile;
  /** The corpus threshold NAB's sweep picks for this profile. */
  threshold: number;
  overall: NabScoreLine;
  folders: Record<string, NabScoreLine>;
  files: SeriesScore[];
}

export interface NabRunResult {
  files: number;
  rows: number;
  /** Rows fed to the detector per second (reading and writing excluded). */
  detectorRowsPerSecond: number;
  outputs: string[];
  /** Data files the windows file does not name: written, not scored (as NAB does). */
  unlabelled: string[];
  scores: Record<string, NabProfileResult> | null;
}

/** Scores rounded to 1e-6: the written files are then exactly what was scored. */
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

function line(parts: readonly SeriesScore[], profile: CostProfile): NabScoreLine {
  return {
    ...normalise(parts, profile),
    detected: parts.reduce((s, p) => s + p.detected, 0),
    missed: parts.reduce((s, p) => s + p.missed, 0),
    falsePositives: parts.reduce((s, p) => s + p.falsePositives, 0),
  };
}

/** Every data file named by the windows file must exist: a typo would silently drop its windows from the score. */
function checkWindows(windows: Windows, keys: Set<string>, windowsFile: string) {
  const unknown = [...windows.keys()].filter((k) => !keys.has(k));
  if (unknown.length) {
    const shown = unknown.slice(0, 5).join(', ') + (unknown.length > 5 ? ` and ${unknown.length - 5} more` : '');
    throw new NabInputError(`windows ${windowsFile} names ${unknown.length} file(s) not in the data directory: ${shown}`);
  }
}

function writeScores(file: NabFile, scores: readonly number[], labels: readonly boolean[] | null, outDir: string): string {
  const out = path.join(outDir, ...file.key.split('/'));
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const header = labels ? 'timestamp,value,anomaly_score,label' : 'timestamp,value,anomaly_score';
  const body = file.rows.map((r, i) => `${r.timestamp},${r.value},${scores[i]}${labels ? `,${labels[i] ? 1 : 0}` : ''}`);
  fs.writeFileSync(out, `${header}\n${body.join('\n')}\n`);
  return out;
}

/** Runs the streaming detector over DIR/<folder>/<file>.csv, writes the scores, and scores them the NAB way when windows are given. */
export function runNab(o: NabRunOptions): NabRunResult {
  const entries = listCorpus(o.dataDir);
  const windows = o.windowsFile ? readWindows(o.windowsFile) : null;
  if (windows) checkWindows(windows, new Set(entries.map((e) => e.key)), o.windowsFile!);
  const profiles = o.profilesFile ? readProfiles(o.profilesFile) : DEFAULT_PROFILES;
  // Options are checked before any file is read: a bad setting fails fast.
  createStreamDetector(o.detector);

  const prepared: PreparedSeries[] = [];
  const outputs: string[] = [];
  const unlabelled: string[] = [];
  let rows = 0;
  let detectorMs = 0;
  entries.forEach((entry, k) => {
    const file = readNabFile(entry);
    const detector = createStreamDetector(o.detector);
    const started = performance.now();
    const scores = file.rows.map((r) => round6(detector.push(r.at / 1000, r.number).score));
    detectorMs += performance.now() - started;
    rows += file.rows.length;
    const fileWindows = windows?.get(file.key);
    if (windows && !fileWindows) unlabelled.push(file.key);
    const labels = windows ? file.rows.map((r) => (fileWindows ?? []).some(([a, b]) => r.at >= a && r.at <= b)) : null;
    outputs.push(writeScores(file, scores, labels, o.outDir));
    if (fileWindows) prepared.push(prepareSeries({ name: file.key, timestamps: file.rows.map((r) => r.at), scores, windows: fileWindows }));
    o.onProgress?.(k + 1, entries.length);
  });

  let scores: Record<string, NabProfileResult> | null = null;
  if (windows) {
    scores = {};
    const folders = [...new Set(prepared.map((p) => p.name.split('/')[0]!))];
    for (const [name, profile] of Object.entries(profiles)) {
      const { threshold } = bestThreshold(prepared, profile);
      const files = prepared.map((p) => scoreSeries(p, threshold, profile));
      scores[name] = {
        profile,
        threshold,
        overall: line(files, profile),
        folders: Object.fromEntries(
          folders.map((f) => [
            f,
            line(
              files.filter((s) => s.name.startsWith(`${f}/`)),
              profile,
            ),
          ]),
        ),
        files,
      };
    }
  }
  return {
    files: entries.length,
    rows,
    detectorRowsPerSecond: detectorMs > 0 ? Math.round(rows / (detectorMs / 1000)) : 0,
    outputs,
    unlabelled,
    scores,
  };
}
