import type { DocumentKind } from '../../contracts/documents.js';
import type { ChunkDraft } from '../types.js';
import { chunkDiff } from './diff.js';
import { chunkLog } from './log.js';
import { chunkMarkdown } from './markdown.js';
import { chunkProse } from './prose.js';

export { CHUNK_MAX_CHARS, MAX_CONTEXT_CHARS } from './common.js';
export { chunkLog, collapseLogLines, logTemplate, LOG_WINDOW_LINES } from './log.js';
export { chunkDiff, parseUnifiedDiff, type DiffFile, type DiffFileStatus, type DiffHunk } from './diff.js';
export { chunkMarkdown } from './markdown.js';
export { chunkProse } from './prose.js';

/**
 * Split a normalised document body into searchable chunks: each starts with a
 * context line (`[kind] title …`) so it reads alone, none is empty or over
 * CHUNK_MAX_CHARS, and ordinals run 0..n-1.
 */
export function chunkDocument(kind: DocumentKind, title: string, body: string): ChunkDraft[] {
  if (body.trim() === '') return [];
  switch (kind) {
    case 'deploy_log':
      return chunkLog(title, body);
    case 'diff': {
      const chunks = chunkDiff(title, body);
      // A "diff" that holds no unified diff is still text worth finding.
      return chunks.length > 0 ? chunks : chunkProse(kind, title, body);
    }
    case 'runbook':
      return chunkMarkdown(title, body);
    case 'incident':
    case 'change':
    case 'ticket':
      return chunkProse(kind, title, body);
  }
}
