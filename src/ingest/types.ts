import type { DocumentKind } from '../contracts/documents.js';

/** A piece of a document, ready to embed. `text` is what is embedded and searched. */
export interface ChunkDraft {
  ordinal: number;
  text: string;
  /** Where the chunk sits in its document: a diff path, a heading trail, a line range. */
  locator?: string;
}

/** A document after validation, redaction and normalisation: safe to store. */
export interface CleanDocument {
  kind: DocumentKind;
  service: string;
  title: string;
  body: string;
  occurredAt: Date;
  source?: string;
  externalId?: string;
  redactions: number;
}
