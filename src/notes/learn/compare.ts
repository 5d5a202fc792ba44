/**
 * Learned selection against the rules, on a time-ordered split: train on
 * the older releases, measure both on the newer ones. The learned model is
 * used only when it beat the rules on a validation part inside the training
 * releases; the test figures are reported beside that choice, never used
 * to make it.
 */
import { AppError } from '../../contracts/errors.js';
import type { LabelledRelease } from '../dataset.js';
import type { Selector } from '../types.js';
import { byDate, type ClassifyFn, candidates, hasNotes, type SelectionModel, type TrainOptions, trainSelection } from './model.js';
import { type SelectionFigures, selectionFigures } from './score.js';

/** The keys a selector keeps of a release. */
export const keptBy = (selector: Selector, classifyFn: ClassifyFn) => (r: LabelledRelease) =>
  candidates(r)
    .filter((c) => selector.decide(classifyFn(c)).include)
    .map((c) => c.key);

export interface Split {
  train: LabelledRelease[];
  test: LabelledRelease[];
}

/** The newest `testFraction` of the releases (by tag date) held out; at least two releases with notes stay to train on. */
export function timeOrderedSplit(releases: readonly LabelledRelease[], testFraction: number): Split {
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`test fraction must lie strictly between 0 and 1, got ${testFraction}`);
  const ordered = byDate(releases);
  const nTest = Math.max(1, Math.round(ordered.length * testFraction));
  const split = { train: ordered.slice(0, ordered.length - nTest), test: ordered.slice(ordered.length - nTest) };
  if (split.train.filter(hasNotes).length < 2) {
    throw new AppError(
      'insufficient_history',
      `${releases.length} releases are too few to train on the older part and test on the newest ${nTest}: at least 2 older releases with notes are needed`,
    );
  }
  return split;
}

export interface Choice {
  chosen: 'learned' | 'rules';
  /** The learned selector when it won, else the rules' one. */
  selector: Selector;
  /** The model trained on all the releases given (whether or not it was chosen). */
  model: SelectionModel;
  /** Figures on the newest part of the releases given, of a model trained on the part before it. */
  validation: { learned: SelectionFigures; rules: SelectionFigures };
}

export interface ChooseOptions extends TrainOptions {
  /** Share of the releases (newest) the choice is validated on. Default 0.25. */
  choiceFraction?: number;
}

/**
 * Learned or rules, decided on the releases given only: a model trained on
 * their older part must beat the rules' F1 on their newer part. The model
 * returned is then trained on all of them.
 */
export function chooseSelector(
  releases: readonly LabelledRelease[],
  classifyFn: ClassifyFn,
  rulesSelector: Selector,
  opts: ChooseOptions = {},
): Choice {
  const inner = timeOrderedSplit(releases, opts.choiceFraction ?? 0.25);
  const innerModel = trainSelection(inner.train, classifyFn, opts);
  const validation = {
    learned: selectionFigures(inner.test, keptBy(innerModel.selector(), classifyFn)),
    rules: selectionFigures(inner.test, keptBy(rulesSelector, classifyFn)),
  };
  const chosen = validation.learned.f1 > validation.rules.f1 ? 'learned' : 'rules';
  const model = trainSelection(releases, classifyFn, opts);
  model.evaluation = { chosen, validation, test: null };
  return { chosen, selector: chosen === 'learned' ? model.selector() : rulesSelector, model, validation };
}

const span = (rs: readonly LabelledRelease[]) => ({ releases: rs.length, from: rs[0]?.version ?? null, to: rs.at(-1)?.version ?? null });

export interface Comparison extends Choice {
  split: { train: ReturnType<typeof span>; test: ReturnType<typeof span> };
  /** Figures on the held-out newest releases: the learned model (trained on the older ones) and the rules. */
  test: { learned: SelectionFigures; rules: SelectionFigures };
}

/**
 * Trains on the older releases (choosing learned or rules inside them) and
 * measures both selectors on the newest `testFraction` of the releases.
 */
export function compareWithRules(
  releases: readonly LabelledRelease[],
  classifyFn: ClassifyFn,
  rulesSelector: Selector,
  opts: ChooseOptions & { testFraction: number },
): Comparison {
  const split = timeOrderedSplit(releases, opts.testFraction);
  const choice = chooseSelector(split.train, classifyFn, rulesSelector, opts);
  const test = {
    learned: selectionFigures(split.test, keptBy(choice.model.selector(), classifyFn)),
    rules: selectionFigures(split.test, keptBy(rulesSelector, classifyFn)),
  };
  choice.model.evaluation = { chosen: choice.chosen, validation: choice.validation, test };
  const selector = choice.chosen === 'learned' ? choice.model.selector() : rulesSelector;
  return { ...choice, selector, split: { train: span(split.train), test: span(split.test) }, test };
}

/**
 * The selector a saved model stands for: its own when its comparison chose
 * it, else the rules (a model that lost to the rules is kept, not used).
 */
export function selectorOf(model: SelectionModel, rulesSelector: Selector): Selector {
  return model.evaluation?.chosen === 'learned' ? model.selector() : rulesSelector;
}
