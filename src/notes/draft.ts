/**
 * The deterministic draft: classify every change, cancel reverts, merge
 * duplicates, select, and write each kept change as one cited item. Every
 * change of the range is either cited by an item or listed as omitted with
 * a reason: nothing is dropped silently.
 */
import { NOTES_SECTIONS, type NotesDraft, type NotesItem, type OmittedChange } from '../contracts/notes.js';
import { breakingFindings } from './breaking-diff.js';
import { classify } from './classify.js';
import { operationalSection } from './operational.js';
import { cancelReverts, groupDuplicates } from './reverts.js';
import { rulesSelector } from './select.js';
import { DEFAULT_STYLE, headingOf } from './style.js';
import type { DraftInput, NoteChange } from './types.js';
import { itemText } from './write.js';

/** Sections readers must see: a learned selector may not leave out what the rules keep in them. */
const PROTECTED = new Set(['breaking', 'security', 'deprecations', 'removals']);
/** Omitted for what the range is, whatever a selector thinks: the change is not news on its own. */
const STRUCTURAL = new Set(['merge', 'reverted', 'duplicate']);

/** What the diff says makes a change breaking: exports removed or renamed from entry points, config keys removed. */
const diffBreaking = (c: NoteChange) => breakingFindings(c).map((f) => `${f.detail} (${f.path})`);

export function draftNotes(input: DraftInput): NotesDraft {
  const style = input.style ?? DEFAULT_STYLE;
  const selector = input.selector ?? rulesSelector();
  const keepDependencies = Boolean(style.headings.dependencies);
  const classified = cancelReverts(
    input.changes.map((c) => classify(c, { keepDependencies, breakingFindings: input.breakingFindings ?? diffBreaking })),
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
    const mustShow = !lead.omit && PROTECTED.has(lead.section);
    if (!decision.include && !mustShow) {
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
    // Migrations and configuration changes come from the diffs; flags, rollback plan and risk from the service.
    operational: input.operational ? operationalSection(input.changes, undefined, input.operational) : null,
    headings: Object.fromEntries(used.map((s) => [s, headingOf(s, style)])),
    selection: { kind: selector.kind, detail: selector.detail },
    llm: { used: false, promptVersion: null, rejected: 0 },
    counts: { changes: input.changes.length, items: sorted.length, omitted: omitted.length },
    warnings,
  };
}
