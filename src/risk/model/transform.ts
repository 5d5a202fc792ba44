import { FEATURES, FEATURE_NAMES, type FeatureName, type FeatureVector } from '../features/names.js';

/**
 * Model inputs from a FeatureVector: log1p of counts, bounded features as
 * they are, plus relative churn (Kamei et al.: lines added per line already
 * in the touched files, and per file touched), which rank
 * changes better than absolute size on most published projects.
 */
export const DERIVED = {
  la_per_lt: { label: 'lines added per line already in the touched files', needs: ['la', 'lt'] },
  la_per_nf: { label: 'lines added per file touched', needs: ['la', 'nf'] },
} as const;
export type DerivedName = keyof typeof DERIVED;
export type InputName = FeatureName | DerivedName;

export const INPUT_LABELS: Record<InputName, string> = {
  ...Object.fromEntries(FEATURE_NAMES.map((n) => [n, FEATURES[n].label])),
  ...Object.fromEntries(Object.entries(DERIVED).map(([n, d]) => [n, d.label])),
} as Record<InputName, string>;

const l1p = (v: number) => Math.log1p(Math.max(0, v));

/** The value the model sees for one input, or undefined when the vector lacks what it needs. */
export function inputValue(name: InputName, f: FeatureVector): number | undefined {
  if (name in DERIVED) {
    const d = DERIVED[name as DerivedName];
    if (d.needs.some((n) => f[n as FeatureName] === undefined)) return undefined;
    const la = Math.max(0, f.la ?? 0);
    const lt = Math.max(0, f.lt ?? 0);
    const nf = f.nf ?? 0;
    if (name === 'la_per_lt') return l1p(la / (lt + 1));
    return l1p(la / Math.max(1, nf));
  }
  const v = f[name as FeatureName];
  if (v === undefined || !Number.isFinite(v)) return undefined;
  return FEATURES[name as FeatureName].transform === 'count' ? l1p(v) : v;
}

export const ALL_INPUTS: InputName[] = [...FEATURE_NAMES, ...(Object.keys(DERIVED) as DerivedName[])];
