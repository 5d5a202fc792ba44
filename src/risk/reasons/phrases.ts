import type { Factor } from '../../contracts/risk.js';
import { RECENT_INCIDENT_DAYS } from '../features/context.js';
import { RISKY_FEATURE } from '../features/build.js';
import { FEATURES, type FeatureVector } from '../features/names.js';

/**
 * One sentence per factor, as a release manager would say it: what the
 * release does, with the number people check, and which way it moves the
 * risk. No feature names, and no ratio that explodes when a file is new:
 * a ratio is told by its parts ("adds 2,373 lines to files that held 12").
 */

export interface PhraseContext {
  service?: string;
  features?: FeatureVector;
  riskyPaths?: Partial<Record<string, string[]>>;
  /** The subsystems the release touches (first path segment, or src/<module>). */
  subsystems?: string[];
}

const int = (v: number) => Math.round(v).toLocaleString('en-US');
const plural = (n: number, one: string, many = `${one}s`) => `${int(n)} ${Math.round(n) === 1 ? one : many}`;
const pct = (v: number) => `${Math.round(v * 100)}%`;

/** " (a, b, c, and 2 more)", or nothing for an empty list. */
function named(list: readonly string[]): string {
  if (list.length === 0) return '';
  const shown = list.slice(0, 3).join(', ');
  return ` (${shown}${list.length > 3 ? `, and ${list.length - 3} more` : ''})`;
}

const paths = (ctx: PhraseContext, category: string) => named(ctx.riskyPaths?.[category] ?? []);

/** Directories by name, files at the repository root ("." to the metric) last, in words. */
const subsystemNames = (list: readonly string[]) => [...list.filter((s) => s !== '.'), ...(list.includes('.') ? ['top-level files'] : [])];

type Phrase = (v: number, ctx: PhraseContext) => string;

const PHRASES: Record<string, Phrase> = {
  la: (v) => `Adds ${plural(v, 'line')}`,
  ld: (v) => `Deletes ${plural(v, 'line')}`,
  nf: (v) => `Touches ${plural(v, 'file')}`,
  nd: (v) => `Touches ${plural(v, 'directory', 'directories')}`,
  ns: (v, ctx) => `Spans ${plural(v, 'subsystem')}${ctx.subsystems?.length === Math.round(v) ? named(subsystemNames(ctx.subsystems)) : ''}`,
  entropy: (v) => (v >= 0.5 ? 'Spreads its edits across many files' : 'Concentrates its edits in a few files'),
  fix: (v) => (v >= 1 ? 'Is a bug fix' : 'Is not a bug fix'),
  lt: (v) => `The touched files held about ${plural(v, 'line')} before, by the recorded history`,
  ndev: (v) =>
    v === 0
      ? 'Nobody has changed these files before, as far as shipcheck knows'
      : `${plural(v, 'person', 'people')} changed these files before`,
  age: (v) => `The touched files last changed ${plural(v, 'day')} earlier, on average`,
  nuc: (v) => (v === 0 ? 'No earlier change to these files is on record' : `These files were changed ${plural(v, 'time')} before`),
  exp: (v) => `The authors shipped ${plural(v, 'change')} before, on average`,
  rexp: (v) =>
    v < 1
      ? 'The authors have made few changes recently'
      : `The authors made about ${plural(v, 'change')} recently (older ones counting less)`,
  sexp: (v) => `The authors changed these subsystems ${plural(v, 'time')} before, on average`,
  flags_touched: (v) => (v === 0 ? 'Changes no feature flag' : `Changes ${plural(v, 'feature flag')}`),
  strategy_canary: (v) => (v >= 1 ? 'Rolls out as a canary' : 'Rolls out without a canary stage'),
  strategy_blue_green: (v) => (v >= 1 ? 'Rolls out blue/green' : 'Does not roll out blue/green'),
  strategy_flag: (v) => (v >= 1 ? 'Ships behind a feature flag' : 'Does not ship behind a feature flag'),
  off_hours: (v) => (v >= 1 ? 'Deploys off hours (before 08:00 or from 19:00 UTC)' : 'Deploys in working hours'),
  pre_weekend: (v) => (v >= 1 ? 'Deploys on a Friday afternoon or at the weekend' : 'Does not deploy before a weekend'),
  recent_failure_rate: (v, ctx) =>
    `${ctx.service ? `${ctx.service}'s` : "The service's"} recent releases failed about ${pct(v)} of the time`,
  recent_incidents: (v, ctx) =>
    v === 0
      ? `No incident on ${ctx.service ?? 'the service'} in the ${RECENT_INCIDENT_DAYS} days before`
      : `${plural(v, 'incident')} on ${ctx.service ?? 'the service'} in the ${RECENT_INCIDENT_DAYS} days before`,
  similar_failure_share: (v) => `${pct(v)} of the most similar past releases failed`,
  file_failure_rate: (v) => `Earlier changes to these files shipped in failed releases about ${pct(v)} of the time`,
  author_failure_rate: (v) => `The authors' earlier changes shipped in failed releases about ${pct(v)} of the time`,
  days_since_area_failure: (v) =>
    v < 1
      ? 'A change to these subsystems shipped in a failed release less than a day before'
      : `A change to these subsystems last shipped in a failed release ${plural(v, 'day')} before`,
  la_per_nf: (v) => `Adds about ${plural(v, 'line')} per file touched`,
  la_per_lt: (_v, ctx) => {
    const la = ctx.features?.la;
    const lt = ctx.features?.lt;
    if (la === undefined || lt === undefined) return 'Adds lines to files whose earlier size is unknown';
    return `Adds ${plural(la, 'line')} to files that held about ${plural(lt, 'line')} before`;
  },
};

// A risky-path input's label reads "touches <what>": the sentence names the paths behind it.
for (const [category, name] of Object.entries(RISKY_FEATURE)) {
  const what = FEATURES[name].label.replace(/^touches /, '');
  PHRASES[name] = (v, ctx) => (v >= 1 ? `Touches ${what}${paths(ctx, category)}` : `Does not touch ${what}`);
}

/** "Adds 2,373 lines, which raises the risk." */
export function factorSentence(f: Pick<Factor, 'name' | 'label' | 'value' | 'contribution'>, ctx: PhraseContext = {}): string {
  const effect = f.contribution > 0 ? 'which raises the risk' : 'which lowers the risk';
  const phrase = PHRASES[f.name];
  const text = phrase
    ? phrase(f.value, ctx)
    : `${f.label[0]!.toUpperCase()}${f.label.slice(1)}: ${Number.isInteger(f.value) ? int(f.value) : f.value.toFixed(2)}`;
  return `${text}, ${effect}.`;
}

/** Model inputs that have a sentence (a test holds every input to having one). */
export const PHRASED_INPUTS = (): string[] => Object.keys(PHRASES);
