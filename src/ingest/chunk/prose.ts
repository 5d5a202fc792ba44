import type { DocumentKind } from '../../contracts/documents.js';
import type { ChunkDraft } from '../types.js';
import { bodyBudget, ChunkList, contextLine, linePieces, pack, paragraphs } from './common.js';

/**
 * Incidents, changes, tickets and any text without structure: paragraphs
 * packed up to the cap (an oversize paragraph is split by lines, an oversize
 * line hard-split). The locator is the source line range.
 */
export function chunkProse(kind: DocumentKind, title: string, body: string): ChunkDraft[] {
  const header = contextLine(kind, title);
  const chunks = new ChunkList();
  for (const p of pack(paragraphs(linePieces(body)), bodyBudget(header.length), '\n\n')) {
    chunks.add(header, p.text, `lines ${p.first}-${p.last}`);
  }
  return chunks.drafts();
}
