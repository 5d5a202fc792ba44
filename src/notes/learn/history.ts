/**
 * How often each author's changes made the notes in earlier releases: a
 * dependency bot whose bumps are never cited, a maintainer whose every fix
 * is. Learned from the releases given to `observe`, in time order, so a
 * release's own notes never inform the features of its changes.
 */

/** Counts of changes and of cited changes. */
export interface Tally {
  n: number;
  cited: number;
}

/** Pseudo-count of the prior: an author with 5 changes is halfway between the project's rate and their own. */
export const PRIOR_STRENGTH = 5;

const authorKey = (author: string | null) => (author ?? '').trim().toLowerCase();

export class AuthorHistory {
  private readonly authors = new Map<string, Tally>();
  private readonly total: Tally = { n: 0, cited: 0 };

  /** Adds one release's changes (those a draft could select) and whether maintainers cited each. */
  observe(changes: readonly { author: string | null; cited: boolean }[]): void {
    for (const c of changes) {
      const k = authorKey(c.author);
      const t = this.authors.get(k) ?? { n: 0, cited: 0 };
      t.n += 1;
      t.cited += c.cited ? 1 : 0;
      this.authors.set(k, t);
      this.total.n += 1;
      this.total.cited += c.cited ? 1 : 0;
    }
  }

  /** The project's overall rate (a half before any history), and the author's rate smoothed toward it. */
  rateOf(author: string | null): { n: number; rate: number; prior: number } {
    const prior = (this.total.cited + 1) / (this.total.n + 2);
    const t = this.authors.get(authorKey(author)) ?? { n: 0, cited: 0 };
    return { n: t.n, rate: (t.cited + PRIOR_STRENGTH * prior) / (t.n + PRIOR_STRENGTH), prior };
  }

  toJSON(): { total: Tally; authors: Record<string, Tally> } {
    const authors: Record<string, Tally> = {};
    for (const k of [...this.authors.keys()].sort()) authors[k] = { ...this.authors.get(k)! };
    return { total: { ...this.total }, authors };
  }

  static fromJSON(json: { total: Tally; authors: Record<string, Tally> }): AuthorHistory {
    const h = new AuthorHistory();
    Object.assign(h.total, json.total);
    for (const [k, t] of Object.entries(json.authors)) h.authors.set(k, { ...t });
    return h;
  }

  clone(): AuthorHistory {
    return AuthorHistory.fromJSON(this.toJSON());
  }
}
