/**
 * A draft as Markdown: the summary, each section under its house heading,
 * then the operational section. Pure: the same draft always reads the same.
 */
import type { NotesDraft } from '../contracts/notes.js';

export function renderMarkdown(draft: NotesDraft, opts: { summary?: string | null } = {}): string {
  // Placeholder while the renderer is written.
  const lines = opts.summary ? [opts.summary, ''] : [];
  for (const item of draft.items) lines.push(`- ${item.text}`);
  return lines.join('\n');
}
