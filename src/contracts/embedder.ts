/**
 * The embedding port. The provider id and dimension are recorded in the
 * database; a different one at start-up is refused (see store/index-config).
 */
export interface Embedder {
  /** e.g. "hashing-v1" or "openai:text-embedding-3-small" */
  readonly id: string;
  readonly dimension: number;
  /** One vector per text, same order, each L2-normalised. */
  embed(texts: readonly string[]): Promise<number[][]>;
}
