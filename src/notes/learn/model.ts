/**
 * The learned selection model: which changes of a release make its notes,
 * learned from earlier releases' notes. Examples are the non-merge changes
 * of each release (label: maintainers cited it); releases are read oldest
 * first so the author history a change sees comes from earlier releases
 * only; the decision threshold is tuned on the newest part of the training
 * releases, with a model fitted on the part before it.
 */
import { z } from 'zod';
import { ValidationError } from '../../contracts/errors.js';
import type { LabelledRelease } from '../dataset.js';
import type { Classified, NoteChange, Selector } from '../types.js';
import { DEFAULT_BUCKETS, featurize, type SparseRow } from './features.js';
import { AuthorHistory } from './history.js';
import { fitLogistic, type LogisticOptions, predictRow } from './logistic.js';
import { bestThreshold, type SelectionFigures } from './score.js';

export type ClassifyFn = (c: NoteChange) => Classified;

export interface TrainOptions extends LogisticOptions {
  /** Share of the (time-ordered) training releases the threshold is tuned on. Default 0.25. */
  validationFraction?: number;
  /** Hash buckets. Default 2^18. */
  buckets?: number;
  /** A fixed threshold: no tuning (for tests and for re-training with a known threshold). */
  threshold?: number;
  /** A fixed L2 strength; absent, it is chosen from L2_GRID with the threshold. */
  l2?: number;
}

/** Releases oldest first by tag date; equal dates keep their given order. */
export function byDate(releases: readonly LabelledRelease[]): LabelledRelease[] {
  return releases
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (a.r.date < b.r.date ? -1 : a.r.date > b.r.date ? 1 : a.i - b.i))
    .map((x) => x.r);
}

/**
 * A release with notes teaches the model; one without (no items at all)
 * has no labels: its changes are neither positives nor negatives.
 */
export const hasNotes = (r: LabelledRelease) => r.items.length > 0;

/** The changes a draft can select: merges are listed on their own and never kept. */
export const candidates = (r: LabelledRelease) => r.changes.filter((c) => !c.isMerge);

export interface ReleaseExamples {
  release: LabelledRelease;
  keys: string[];
  rows: SparseRow[];
  labels: boolean[];
}

/**
 * Feature rows of each release in time order, each computed with the author
 * history of the releases before it; `history` ends holding every release.
 */
export function examplesInOrder(
  releases: readonly LabelledRelease[],
  classifyFn: ClassifyFn,
  history: AuthorHistory,
  buckets: number = DEFAULT_BUCKETS,
): ReleaseExamples[] {
  return byDate(releases).map((release) => {
    const cs = candidates(release);
    const rows = cs.map((c) => featurize(classifyFn(c), history, buckets));
    const labels = cs.map((c) => release.cited.has(c.key));
    // Only after this release's rows exist do its labels join the history.
    if (hasNotes(release)) history.observe(cs.map((c, i) => ({ author: c.author, cited: labels[i]! })));
    return { release, keys: cs.map((c) => c.key), rows, labels };
  });
}

/** How the threshold was chosen. */
export interface ThresholdTuning {
  /** Releases it was tuned on (the newest of the training releases), 0 when fixed or too few releases. */
  validationReleases: number;
  /** The F1 the threshold reached there. */
  f1: number | null;
  /** The L2 strength of the weights (chosen there too unless it was given). */
  l2: number;
}

/** Figures a comparison attached to the model (what the selector's detail quotes). */
export interface ModelEvaluation {
  chosen: 'learned' | 'rules';
  /** Validation inside the training releases: the figures the choice rests on. */
  validation: { learned: SelectionFigures; rules: SelectionFigures };
  /** The newest releases, never seen in training: reported, never used to choose. */
  test: { learned: SelectionFigures; rules: SelectionFigures } | null;
}

const Tally = z.object({ n: z.number().int().min(0), cited: z.number().int().min(0) });
const Figures = z.object({
  releases: z.number().int().min(0),
  tp: z.number().int().min(0),
  drafted: z.number().int().min(0),
  gold: z.number().int().min(0),
  precision: z.number().min(0).max(1),
  recall: z.number().min(0).max(1),
  f1: z.number().min(0).max(1),
});
const Pair = z.object({ learned: Figures, rules: Figures });

export const SELECTION_MODEL_FORMAT = 'shipcheck.notes-selection.v1';
export const SelectionModelJson = z.object({
  format: z.literal(SELECTION_MODEL_FORMAT),
  buckets: z
    .number()
    .int()
    .min(2)
    .max(1 << 24),
  bias: z.number().finite(),
  threshold: z.number().min(0).max(1),
  /** [bucket, weight] pairs, the non-zero weights only. */
  weights: z.array(z.tuple([z.number().int().min(0), z.number().finite()])),
  history: z.object({ total: Tally, authors: z.record(z.string(), Tally) }),
  trainedOn: z.object({
    releases: z.number().int().min(0),
    changes: z.number().int().min(0),
    cited: z.number().int().min(0),
    from: z.string().nullable(),
    to: z.string().nullable(),
  }),
  tuning: z.object({ validationReleases: z.number().int().min(0), f1: z.number().min(0).max(1).nullable(), l2: z.number().min(0) }),
  evaluation: z.object({ chosen: z.enum(['learned', 'rules']), validation: Pair, test: Pair.nullable() }).nullable(),
});
export type SelectionModelJson = z.infer<typeof SelectionModelJson>;

const f3 = (x: number) => x.toFixed(3);

export class SelectionModel {
  constructor(
    readonly buckets: number,
    readonly weights: ReadonlyMap<number, number>,
    readonly bias: number,
    readonly threshold: number,
    /** The authors' record through the last training release: what `decide` sees for a new release. */
    readonly history: AuthorHistory,
    readonly trainedOn: SelectionModelJson['trainedOn'],
    readonly tuning: ThresholdTuning,
    public evaluation: ModelEvaluation | null = null,
  ) {}

  /** Probability that maintainers cite this change (author history as of the end of training). */
  probability(c: Classified): number {
    return predictRow(featurize(c, this.history, this.buckets), this.weights, this.bias);
  }

  /** One line for a draft: what it learned from and, when compared, how it did against the rules. */
  detail(): string {
    const t = this.trainedOn;
    let s = `learned on ${t.releases} releases (${t.changes} changes, ${t.from ?? '?'}…${t.to ?? '?'}), threshold ${f3(this.threshold)}`;
    const e = this.evaluation;
    if (e) s += `; validation F1 ${f3(e.validation.learned.f1)} vs rules ${f3(e.validation.rules.f1)}`;
    if (e?.test) s += `; newest ${e.test.learned.releases} releases held out: F1 ${f3(e.test.learned.f1)} vs rules ${f3(e.test.rules.f1)}`;
    return s;
  }

  selector(): Selector {
    return {
      kind: 'learned',
      detail: this.detail(),
      decide: (c: Classified) => {
        const p = this.probability(c);
        return { include: !c.change.isMerge && p >= this.threshold, p };
      },
    };
  }

  toJSON(): SelectionModelJson {
    return {
      format: SELECTION_MODEL_FORMAT,
      buckets: this.buckets,
      bias: this.bias,
      threshold: this.threshold,
      weights: [...this.weights.entries()].sort((a, b) => a[0] - b[0]),
      history: this.history.toJSON(),
      trainedOn: this.trainedOn,
      tuning: this.tuning,
      evaluation: this.evaluation,
    };
  }
}

/** Reads a model artifact; anything that does not parse is refused with the field that is wrong. */
export function selectionModelFromJSON(json: unknown): SelectionModel {
  const parsed = SelectionModelJson.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationError(
      `not a notes selection model (${SELECTION_MODEL_FORMAT}): ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
  }
  const m = parsed.data;
  const outside = m.weights.find(([b]) => b >= m.buckets);
  if (outside) throw new ValidationError(`not a notes selection model: weight bucket ${outside[0]} is outside its ${m.buckets} buckets`);
  return new SelectionModel(
    m.buckets,
    new Map(m.weights),
    m.bias,
    m.threshold,
    AuthorHistory.fromJSON(m.history),
    m.trainedOn,
    m.tuning,
    m.evaluation,
  );
}

/** Fits weights on the releases (time order) and answers them with the history they end with. */
function fitOn(releases: readonly LabelledRelease[], classifyFn: ClassifyFn, opts: TrainOptions) {
  const buckets = opts.buckets ?? DEFAULT_BUCKETS;
  const history = new AuthorHistory();
  const examples = examplesInOrder(releases, classifyFn, history, buckets).filter((e) => hasNotes(e.release));
  const rows = examples.flatMap((e) => e.rows);
  const labels = examples.flatMap((e) => e.labels);
  if (rows.length === 0) throw new ValidationError('no changes to learn from: the releases have no notes or no changes');
  const fit = fitLogistic(rows, labels, opts);
  return { fit, history, buckets, examples, rows, labels };
}

/** Minimum releases before the threshold is tuned on a held-out part (else the default 0.5). */
const MIN_RELEASES_TO_TUNE = 3;

/** L2 strengths tried when none is given, strongest first (an equal F1 keeps the stronger). */
export const L2_GRID = [0.03, 0.01, 0.003, 0.001, 0.0003];

/**
 * Trains the selection model. With enough releases, the threshold (and the
 * L2 strength, unless given) are the ones that maximise F1 on the newest
 * `validationFraction` of them, scored by a model fitted on the older ones
 * only; the final weights are then fitted on all the releases given.
 */
export function trainSelection(releases: readonly LabelledRelease[], classifyFn: ClassifyFn, opts: TrainOptions = {}): SelectionModel {
  const ordered = byDate(releases);
  let threshold = opts.threshold ?? 0.5;
  let l2 = opts.l2 ?? 0.01;
  let tuning: ThresholdTuning = { validationReleases: 0, f1: null, l2 };
  const labelled = ordered.filter(hasNotes);
  if (opts.threshold === undefined && labelled.length >= MIN_RELEASES_TO_TUNE) {
    const nVal = Math.min(labelled.length - 1, Math.max(1, Math.round(labelled.length * (opts.validationFraction ?? 0.25))));
    const cut = ordered.indexOf(labelled[labelled.length - nVal]!);
    const val = ordered.slice(cut).filter(hasNotes);
    const gold = val.reduce((s, r) => s + r.cited.size, 0);
    let best: { threshold: number; f1: number; l2: number } | null = null;
    for (const candidateL2 of opts.l2 !== undefined ? [opts.l2] : L2_GRID) {
      const inner = trainSelection(ordered.slice(0, cut), classifyFn, { ...opts, threshold: 0.5, l2: candidateL2 });
      const scored = val.flatMap((r) => candidates(r).map((c) => ({ p: inner.probability(classifyFn(c)), cited: r.cited.has(c.key) })));
      const found = bestThreshold(scored, gold);
      if (!best || found.f1 > best.f1) best = { ...found, l2: candidateL2 };
    }
    ({ threshold, l2 } = best!);
    tuning = { validationReleases: val.length, f1: best!.f1, l2 };
  }
  const { fit, history, buckets, rows, labels } = fitOn(ordered, classifyFn, { ...opts, l2 });
  return new SelectionModel(
    buckets,
    fit.weights,
    fit.bias,
    threshold,
    history,
    {
      releases: labelled.length,
      changes: rows.length,
      cited: labels.filter(Boolean).length,
      from: labelled[0]?.version ?? null,
      to: labelled.at(-1)?.version ?? null,
    },
    tuning,
  );
}
