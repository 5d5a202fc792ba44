/**
 * The deterministic draft: classify every change, cancel reverts, merge
 * duplicates, select, and write each kept change as one cited item. Every
 * change of the range is either cited by an item or listed as omitted with
 * a reason: nothing is dropped silently.
 */
import { NOTES_SECTIONS, type NotesDraft, type NotesItem, type OmittedChange, type OperationalSection } from '../contracts/notes.js';
import { classify } from './classify.js';
import { cancelReverts, groupDuplicates } from './reverts.js';
import { rulesSelector } from './select.js';
import { DEFAULT_STYLE, headingOf } from './style.js';
import type { DraftInput } from './types.js';
import { itemText } from './write.js';

/** Omitted for what the range is, whatever a selector thinks: the change is not news on its own. */
const STRUCTURAL = new Set(['merge', 'reverted', 'duplicate']);

/**
 * The operational section from what the service gathered. This is the call point
 * for the operational reader (migrations and configuration found in the diffs);
 * until it is wired in, flags, rollback and risk pass through as given.
 */
function operationalSectionOf(input: DraftInput): OperationalSection | null {
  if (!input.operational) return null;
  return {
    migrations: [],
    configuration: [],
    flags: input.operational.flags,
    rollback: input.operational.rollback,
    risk: input.operational.risk,
  };
}

export function draftNotes(input: DraftInput): NotesDraft {
  const style = input.style ?? DEFAULT_STYLE;
  const selector = input.selector ?? rulesSelector();
  const keepDependencies = Boolean(style.headings.dependencies);
  const classified = cancelReverts(
    input.changes.map((c) =>
      classify(c, { keepDependencies, ...(input.breakingFindings ? { breakingFindings: input.breakingFindings } : {}) }),
    ),
  );

  const items: (NotesItem & { order: number })[] = [];
  const omitted: OmittedChange[] = [];
  const omit = (key: string, reason: OmittedChange['reason'], detail?: string) =>
    omitted.push({ changeId: key, reason, ...(detail ? { detail } : {}) });

  groupDuplicates(classified).forEach((group, order) => {
    const { lead, copies } = group;
    const all = [lead, ...copies];
    if (lead.omit && STRUCTURAL.has(lead.omit)) {
      for (const c of all) omit(c.change.key, lead.omit, c.detail);
      return;
    }
    const decision = selector.decide(lead);
    if (!decision.include) {
      const reason = selector.kind === 'rules' ? (lead.omit ?? 'not_selected') : 'not_selected';
      const detail = reason === 'not_selected' ? `p=${decision.p.toFixed(3)}` : lead.detail;
      for (const c of all) omit(c.change.key, reason, detail);
      return;
    }
    const section = lead.section;
    const changes = all.map((c) => c.change);
    const evidence = changes.map((c) => c.evidenceId).filter((e): e is string => Boolean(e));
    const why = lead.section === 'breaking' && lead.detail ? lead.detail : undefined;
    items.push({
      section,
      text: itemText(section, changes, style),
      changeIds: [...new Set(changes.map((c) => c.key))],
      evidence,
      origin: 'rules',
      ...(why ? { why } : {}),
      order,
    });
  });

  const rank = (s: string) => NOTES_SECTIONS.indexOf(s as (typeof NOTES_SECTIONS)[number]);
  const sorted = items.sort((a, b) => rank(a.section) - rank(b.section) || a.order - b.order).map(({ order: _, ...item }) => item);
  const used = [...new Set(sorted.map((i) => i.section))];
  const warnings = [...(input.warnings ?? [])];
  if (input.changes.length > 0 && input.changes.every((c) => c.isMerge))
    warnings.push('the range holds merge commits only: nothing to list');

  return {
    version: input.version,
    items: sorted,
    omitted,
    operational: operationalSectionOf(input),
    headings: Object.fromEntries(used.map((s) => [s, headingOf(s, style)])),
    selection: { kind: selector.kind, detail: selector.detail },
    llm: { used: false, promptVersion: null, rejected: 0 },
    counts: { changes: input.changes.length, items: sorted.length, omitted: omitted.length },
    warnings,
  };
}
