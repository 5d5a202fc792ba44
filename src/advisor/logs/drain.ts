import { bareWord, OUTCOME_WORDS, WILDCARD } from './mask.js';
import { type PreparedLine, prepareLine, templateText } from './preprocess.js';

/**
 * A Drain-style online template miner (He et al., "Drain: An Online Log
 * Parsing Approach with Fixed Depth Tree", ICWS 2017), over lines masked by
 * preprocess.ts.
 *
 * A line is filed in a fixed-depth tree: first by its level and token count,
 * then by its first `prefixTokens` tokens (a token with a digit, or `<*>`,
 * goes to the `<*>` child, and so does any new token once a node has
 * `maxChildren` children). At the leaf it joins the most similar template of
 * the same length, if the share of positions where they agree reaches
 * `similarity`; the template then becomes `<*>` where they differed.
 * Otherwise it starts a new template.
 *
 * One rule Drain does not have: a position where an outcome word (failed,
 * refused, ok, …) or a kept HTTP status differs is never generalised, so
 * "payment ok" and "payment failed" stay apart however similar the rest is.
 *
 * Bounded memory: at most `maxTemplates` templates (and so at most that many
 * leaves, each tree node with at most `maxChildren` children). Once full, a
 * line that matches no template is not remembered: its own masked text is
 * its template (`add` returns -1 and `lastUnclustered` holds it), and
 * `unclustered` counts such lines. Per line the work is bounded by
 * MAX_LINE_CHARS and MAX_TOKENS (preprocess.ts).
 *
 * Deterministic: the same lines in the same order give the same templates.
 */

export interface MinerOptions {
  /** Content tokens used to route in the tree (Drain's depth − 2). Default 1, Drain's usual depth 4. */
  prefixTokens?: number;
  /** Share of agreeing positions needed to join a template, in [0, 1]. Default 0.5. */
  similarity?: number;
  /** Children per tree node before new tokens share the `<*>` child. Default 100. */
  maxChildren?: number;
  /** Templates remembered; default 10,000. */
  maxTemplates?: number;
}

export const MINER_DEFAULTS: Required<MinerOptions> = { prefixTokens: 1, similarity: 0.5, maxChildren: 100, maxTemplates: 10_000 };

interface Cluster {
  level: string;
  tokens: string[];
  size: number;
}

interface TreeNode {
  children: Map<string, TreeNode>;
  /** Indexes into the miner's clusters; only leaves hold any. */
  clusters: number[];
}

const newNode = (): TreeNode => ({ children: new Map(), clusters: [] });

const HAS_DIGIT = /\d/;
const KEPT_STATUS = /^[1-5]\d\d$/;

/** A token whose difference must never be generalised away (see the class comment); for `key=value`, the value decides. */
function isSticky(token: string): boolean {
  const eq = token.indexOf('=');
  const value = eq >= 0 ? token.slice(eq + 1) : token;
  return KEPT_STATUS.test(value) || OUTCOME_WORDS.has(bareWord(value));
}

export class TemplateMiner {
  private readonly opts: Required<MinerOptions>;
  private readonly root = new Map<string, TreeNode>();
  private readonly clusters: Cluster[] = [];
  /** Lines that matched no template after the cap was reached. */
  unclustered = 0;
  /** The template of the last line `add` could not file (when it returned -1). */
  lastUnclustered = '';

  constructor(opts: MinerOptions = {}) {
    this.opts = { ...MINER_DEFAULTS, ...opts };
    if (!(this.opts.similarity >= 0 && this.opts.similarity <= 1)) throw new RangeError('similarity must lie in [0, 1]');
    if (!(this.opts.prefixTokens >= 0 && this.opts.maxChildren >= 2 && this.opts.maxTemplates >= 1)) {
      throw new RangeError('prefixTokens ≥ 0, maxChildren ≥ 2, maxTemplates ≥ 1');
    }
  }

  get size(): number {
    return this.clusters.length;
  }

  /** Files one raw line; returns its template's index (stable for the miner's life), or -1 when the cap left it unclustered. */
  add(line: string): number {
    return this.addPrepared(prepareLine(line));
  }

  addPrepared(line: PreparedLine): number {
    const leaf = this.findLeaf(line);
    const best = leaf ? this.bestMatch(leaf, line.tokens) : -1;
    if (best >= 0) {
      const c = this.clusters[best]!;
      c.size++;
      for (let i = 0; i < c.tokens.length; i++) if (c.tokens[i] !== line.tokens[i]) c.tokens[i] = WILDCARD;
      return best;
    }
    if (this.clusters.length >= this.opts.maxTemplates) {
      this.unclustered++;
      this.lastUnclustered = templateText(line.level, line.tokens);
      return -1;
    }
    const index = this.clusters.length;
    this.clusters.push({ level: line.level, tokens: [...line.tokens], size: 1 });
    this.insert(line, index);
    return index;
  }

  /** The current template text of a template index. */
  template(index: number): string {
    const c = this.clusters[index];
    if (!c) throw new RangeError(`no template ${index}`);
    return templateText(c.level, c.tokens);
  }

  /** Lines filed under a template index so far. */
  count(index: number): number {
    return this.clusters[index]?.size ?? 0;
  }

  private routeKeys(line: PreparedLine): string[] {
    const n = line.tokens.length;
    // Like Drain, the last token never routes: a one-token line lives at its length node.
    const depth = Math.min(this.opts.prefixTokens, Math.max(0, n - 1));
    return line.tokens.slice(0, depth);
  }

  private findLeaf(line: PreparedLine): TreeNode | undefined {
    let node = this.root.get(`${line.level}\u0001${line.tokens.length}`);
    for (const token of this.routeKeys(line)) {
      if (!node) return undefined;
      node = node.children.get(token) ?? node.children.get(WILDCARD);
    }
    return node;
  }

  private insert(line: PreparedLine, index: number): void {
    const key = `${line.level}\u0001${line.tokens.length}`;
    let node: TreeNode | undefined = this.root.get(key);
    if (!node) this.root.set(key, (node = newNode()));
    for (const token of this.routeKeys(line)) {
      let next: TreeNode | undefined = node.children.get(token);
      if (!next) {
        const variable = token === WILDCARD || HAS_DIGIT.test(token);
        // Keep one slot for `<*>`, so a full node still has somewhere to send new tokens.
        const key = variable || node.children.size >= this.opts.maxChildren - 1 ? WILDCARD : token;
        next = node.children.get(key);
        if (!next) node.children.set(key, (next = newNode()));
      }
      node = next;
    }
    node.clusters.push(index);
  }

  /** The most similar template in a leaf that reaches the threshold (ties: the more general one, then the older one); -1 if none. */
  private bestMatch(leaf: TreeNode, tokens: readonly string[]): number {
    let best = -1;
    let bestSim = -1;
    let bestParams = -1;
    for (const index of leaf.clusters) {
      const t = this.clusters[index]!.tokens;
      let same = 0;
      let params = 0;
      let blocked = false;
      for (let i = 0; i < t.length; i++) {
        const a = t[i]!;
        const b = tokens[i]!;
        if (a === WILDCARD) {
          params++;
          if (b === WILDCARD) same++;
        } else if (a === b) same++;
        else if (isSticky(a) || isSticky(b)) {
          blocked = true;
          break;
        }
      }
      if (blocked) continue;
      const sim = t.length === 0 ? 1 : same / t.length;
      if (sim > bestSim || (sim === bestSim && params > bestParams)) {
        best = index;
        bestSim = sim;
        bestParams = params;
      }
    }
    return bestSim >= this.opts.similarity ? best : -1;
  }
}
