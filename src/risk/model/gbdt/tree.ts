/**
 * One regression tree of the boosted model, grown on binned features from the
 * gradients and hessians of the log-loss (second-order boosting, as XGBoost
 * and LightGBM do), with monotone constraints enforced the way LightGBM's
 * "basic" method does: a split on a constrained feature whose children's
 * values go the wrong way is rejected, and an accepted one bounds the whole
 * subtree on each side by the midpoint of the two children's values, so no
 * deeper split can undo the order. The sum of such trees keeps the order too.
 */

/** A split: rows with x[feature] ≤ threshold go to `left`, the rest to `right` (indices into the tree's nodes). */
export interface SplitNode {
  feature: number;
  threshold: number;
  left: number;
  right: number;
  /** Log-loss reduction the split bought (second-order estimate): the feature importance. */
  gain: number;
}
export interface LeafNode {
  /** Log-odds this leaf adds (already multiplied by the learning rate). */
  value: number;
}
export type TreeNode = SplitNode | LeafNode;
export type Tree = TreeNode[];

export const isLeaf = (node: TreeNode): node is LeafNode => 'value' in node;

/** The leaf value of one tree for a raw feature row (the root is node 0). */
export function treeValue(tree: Tree, x: ArrayLike<number>): number {
  let node = tree[0]!;
  while (!isLeaf(node)) node = tree[x[node.feature]! <= node.threshold ? node.left : node.right]!;
  return node.value;
}

/** What growing a tree needs: the binned training rows and the current gradients. */
export interface GrowInput {
  /** bins[j * n + i]: row i's bin of feature j. */
  bins: Uint8Array;
  n: number;
  edges: readonly (readonly number[])[];
  grad: Float64Array;
  hess: Float64Array;
  /** The rows this tree is grown on (a subsample of the training rows). */
  rows: Int32Array;
  monotone: readonly (-1 | 0 | 1)[];
  maxDepth: number;
  minSamplesLeaf: number;
  l2: number;
  learningRate: number;
}

/** The optimal leaf value −G/(H+λ), held inside the bounds a monotone ancestor set. */
const leafValue = (g: number, h: number, l2: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, -g / (h + l2)));
/** The loss reduction of a leaf with value w (second-order): −(G·w + ½(H+λ)·w²); G²/2(H+λ) when w is unbounded. */
const leafScore = (g: number, h: number, l2: number, w: number) => -(g * w + 0.5 * (h + l2) * w * w);

interface Best {
  feature: number;
  bin: number;
  gain: number;
  wLeft: number;
  wRight: number;
}

export function growTree(input: GrowInput): Tree {
  const nodes: Tree = [];
  const d = input.edges.length;
  const maxBins = Math.max(1, ...input.edges.map((e) => e.length + 1));
  const hg = new Float64Array(maxBins);
  const hh = new Float64Array(maxBins);
  const hc = new Int32Array(maxBins);

  const bestSplit = (rows: Int32Array, g: number, h: number, parentW: number, lo: number, hi: number): Best | null => {
    const { bins, n, grad, hess, l2, minSamplesLeaf, monotone } = input;
    const parentScore = leafScore(g, h, l2, parentW);
    let best: Best | null = null;
    for (let j = 0; j < d; j++) {
      const nb = input.edges[j]!.length + 1;
      if (nb < 2) continue;
      hg.fill(0, 0, nb);
      hh.fill(0, 0, nb);
      hc.fill(0, 0, nb);
      const col = j * n;
      for (let k = 0; k < rows.length; k++) {
        const i = rows[k]!;
        const b = bins[col + i]!;
        hg[b]! += grad[i]!;
        hh[b]! += hess[i]!;
        hc[b]!++;
      }
      let gl = 0;
      let hl = 0;
      let cl = 0;
      for (let b = 0; b < nb - 1; b++) {
        gl += hg[b]!;
        hl += hh[b]!;
        cl += hc[b]!;
        if (cl < minSamplesLeaf) continue;
        if (rows.length - cl < minSamplesLeaf) break;
        const wl = leafValue(gl, hl, l2, lo, hi);
        const wr = leafValue(g - gl, h - hl, l2, lo, hi);
        const c = monotone[j]!;
        if (c !== 0 && c * (wr - wl) < 0) continue; // the children would go against the constraint
        const gain = leafScore(gl, hl, l2, wl) + leafScore(g - gl, h - hl, l2, wr) - parentScore;
        if (gain > 1e-12 && (best === null || gain > best.gain)) best = { feature: j, bin: b, gain, wLeft: wl, wRight: wr };
      }
    }
    return best;
  };

  const grow = (rows: Int32Array, depth: number, lo: number, hi: number): number => {
    let g = 0;
    let h = 0;
    for (let k = 0; k < rows.length; k++) {
      g += input.grad[rows[k]!]!;
      h += input.hess[rows[k]!]!;
    }
    const w = leafValue(g, h, input.l2, lo, hi);
    const at = nodes.length;
    const best = depth < input.maxDepth && rows.length >= 2 * input.minSamplesLeaf ? bestSplit(rows, g, h, w, lo, hi) : null;
    if (best === null) {
      nodes.push({ value: w * input.learningRate });
      return at;
    }
    const col = best.feature * input.n;
    const left = rows.filter((i) => input.bins[col + i]! <= best.bin);
    const right = rows.filter((i) => input.bins[col + i]! > best.bin);
    const split: SplitNode = {
      feature: best.feature,
      threshold: input.edges[best.feature]![best.bin]!,
      left: -1,
      right: -1,
      gain: best.gain,
    };
    nodes.push(split);
    // Monotone: the midpoint of the children's values bounds each side's whole subtree.
    const c = input.monotone[best.feature]!;
    const mid = (best.wLeft + best.wRight) / 2;
    split.left = grow(left, depth + 1, c === -1 ? Math.max(lo, mid) : lo, c === 1 ? Math.min(hi, mid) : hi);
    split.right = grow(right, depth + 1, c === 1 ? Math.max(lo, mid) : lo, c === -1 ? Math.min(hi, mid) : hi);
    return at;
  };

  grow(input.rows, 0, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  return nodes;
}
