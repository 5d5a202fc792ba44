import { z } from 'zod';
import { AppError } from '../../../contracts/errors.js';
import type { GbdtModel } from './model.js';
import { isLeaf, type Tree } from './tree.js';

const SplitJson = z.strictObject({
  feature: z.number().int().nonnegative(),
  threshold: z.number(),
  left: z.number().int().positive(),
  right: z.number().int().positive(),
  gain: z.number().nonnegative(),
});
const LeafJson = z.strictObject({ value: z.number() });

/** A gradient-boosted tree model as stored: versioned JSON, parsed (never cast) when read. */
export const GbdtModelJson = z.object({
  kind: z.literal('gbdt-classifier'),
  version: z.literal(1),
  nFeatures: z.number().int().positive(),
  baseScore: z.number(),
  monotone: z.array(z.union([z.literal(-1), z.literal(0), z.literal(1)])),
  trees: z.array(z.array(z.union([SplitJson, LeafJson])).min(1)),
  training: z.object({
    roundsRun: z.number().int().nonnegative(),
    stoppedEarly: z.boolean(),
    trainRows: z.number().int().nonnegative(),
    validationRows: z.number().int().nonnegative(),
    validationLoss: z.number().nullable(),
  }),
});
export type GbdtModelJson = z.infer<typeof GbdtModelJson>;

/** A stored tree model that cannot be read back: refitting (or restoring the artifact) is the way out. */
export class GbdtArtifactError extends AppError {
  constructor(message: string) {
    super('stored_record_unreadable', `gradient-boosted tree artifact: ${message}`);
  }
}

export function gbdtToJSON(model: GbdtModel): GbdtModelJson {
  return structuredClone({
    kind: 'gbdt-classifier',
    version: 1,
    nFeatures: model.nFeatures,
    baseScore: model.baseScore,
    monotone: model.monotone,
    trees: model.trees,
    training: model.training,
  });
}

/**
 * Rebuilds a model from gbdtToJSON() output. Beyond the shape, every tree must
 * be one tree: features within range and each child after its parent (so
 * prediction always reaches a leaf). A bad artifact is refused, never
 * scored half-read.
 */
export function gbdtFromJSON(json: unknown): GbdtModel {
  const parsed = GbdtModelJson.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new GbdtArtifactError(`${first.path.join('.') || '(root)'}: ${first.message}`);
  }
  const m = parsed.data;
  if (m.monotone.length !== m.nFeatures) {
    throw new GbdtArtifactError(`monotone has ${m.monotone.length} entries for ${m.nFeatures} features`);
  }
  m.trees.forEach((tree, t) => checkTree(tree, t, m.nFeatures));
  return {
    nFeatures: m.nFeatures,
    baseScore: m.baseScore,
    monotone: [...m.monotone],
    trees: structuredClone(m.trees),
    training: { ...m.training },
  };
}

function checkTree(tree: Tree, t: number, nFeatures: number): void {
  const parents = new Array<number>(tree.length).fill(0);
  tree.forEach((node, k) => {
    if (isLeaf(node)) return;
    if (node.feature >= nFeatures) throw new GbdtArtifactError(`tree ${t} node ${k} splits on feature ${node.feature} of ${nFeatures}`);
    for (const child of [node.left, node.right]) {
      if (child <= k || child >= tree.length) throw new GbdtArtifactError(`tree ${t} node ${k} points at node ${child}, not a later node`);
      parents[child]!++;
    }
  });
  const shared = parents.findIndex((p, k) => (k === 0 ? p !== 0 : p !== 1));
  if (shared >= 0)
    throw new GbdtArtifactError(`tree ${t} node ${shared} has ${parents[shared]} parents; a tree node has one (the root none)`);
}
