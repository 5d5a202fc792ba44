/**
 * The deterministic draft: classify every change, cancel reverts, merge
 * duplicates, select, and write each kept change as one cited item.
 */
import type { NotesDraft } from '../contracts/notes.js';
import type { DraftInput } from './types.js';

export function draftNotes(input: DraftInput): NotesDraft {
  // Placeholder while the drafter is written: every change omitted, nothing invented.
  return {
    version: input.version,
    items: [],
    omitted: [],
    operational: null,
    headings: {},
    selection: { kind: 'rules', detail: 'rules' },
    llm: { used: false, promptVersion: null, rejected: 0 },
    counts: { changes: input.changes.length, items: 0, omitted: 0 },
    warnings: input.warnings ?? [],
  };
}
