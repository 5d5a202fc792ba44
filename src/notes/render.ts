/**
 * A draft as Markdown: the summary, each section under its house heading,
 * then the operational section. Pure: the same draft always reads the same.
 */
import { NOTES_SECTIONS, type NotesDraft, type NotesItem, type OperationalSection } from '../contracts/notes.js';
import { DEFAULT_HEADINGS } from './style.js';

function operationalLines(op: OperationalSection): string[] {
  const lines: string[] = [];
  const list = (title: string, entries: string[]) => {
    if (entries.length > 0) lines.push(`**${title}**`, '', ...entries.map((e) => `- ${e}`), '');
  };
  list(
    'Migrations',
    op.migrations.map((m) => `\`${m.path}\` (${m.changeIds.join(', ')})`),
  );
  list(
    'Configuration',
    op.configuration.map((c) => `\`${c.path}\`: ${c.detail} (${c.changeIds.join(', ')})`),
  );
  list(
    'Feature flags',
    op.flags.map((f) => `\`${f.name}\` (${f.source})`),
  );
  if (op.rollback) lines.push('**Rollback**', '', op.rollback.text, '');
  if (op.risk) lines.push(`**Risk:** ${op.risk.level} (score ${op.risk.score}, [assessment](${op.risk.link}))`, '');
  return lines;
}

/** Whether a line's words already show a change id: `#12`, a hash by its first 7 digits, or the id itself. */
const shows = (text: string, id: string) => text.includes(/^[0-9a-f]{7,40}$/i.test(id) ? id.slice(0, 7) : id);

/**
 * Every line shows what it cites: a reworded or edited line whose words name none of its changes (the LLM
 * prompt asks for words only; a person may write plain words) gets its ids appended.
 */
const lineOf = (i: NotesItem) => (i.changeIds.some((id) => shows(i.text, id)) ? i.text : `${i.text} (${i.changeIds.join(', ')})`);

/** A breaking item also says why it breaks (the footer's words, the export a diff removes), indented under it. */
const itemLines = (i: NotesItem) => [
  `- ${lineOf(i)}`,
  ...(i.section === 'breaking' && i.why && !i.text.includes(i.why) ? [`  ${i.why}`] : []),
];

/** How many changes were left out for each reason, most first: [["docs", 6], ["chore", 3]]. */
export function omittedByReason(omitted: readonly { reason: string }[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const o of omitted) counts.set(o.reason, (counts.get(o.reason) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}

export function renderMarkdown(draft: NotesDraft, opts: { summary?: string | null } = {}): string {
  const lines = opts.summary ? [opts.summary.trim(), ''] : [];
  for (const section of NOTES_SECTIONS) {
    const items = draft.items.filter((i) => i.section === section);
    if (items.length === 0) continue;
    lines.push(`### ${draft.headings[section] ?? DEFAULT_HEADINGS[section]}`, '', ...items.flatMap(itemLines), '');
  }
  // Notes with no item still say why, so an empty page never reads as "nothing happened".
  if (draft.items.length === 0 && draft.omitted.length > 0)
    lines.push(
      `No changes for readers: all ${draft.omitted.length} left out (${omittedByReason(draft.omitted)
        .map(([r, n]) => `${n} ${r}`)
        .join(', ')}).`,
      '',
    );
  if (draft.operational) {
    const op = operationalLines(draft.operational);
    if (op.length > 0) lines.push('### Operational notes', '', ...op);
  }
  while (lines.at(-1) === '') lines.pop();
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
