/**
 * The notes eval as text: a table per release and the pooled figures of each
 * slice for the drafter and both baselines (terminal), and the same in
 * GitHub Markdown (report.md).
 */
import { omittedByReason } from '../../notes/render.js';
import { escapeMarkdown } from '../report/index.js';
import type { DraftedRelease, NotesEvalResult, System } from './run.js';
import { FIGURES, type Figures, figures } from './score.js';

const f3 = (v: number | null) => (v === null ? '–' : v.toFixed(3));
const TITLES: Record<System, string> = {
  shipcheck: 'shipcheck',
  'release-please': 'release-please filter',
  'every-commit': 'every commit',
};

function systemTitle(system: System, result: NotesEvalResult): string {
  return system === 'shipcheck' ? `shipcheck (${result.selectionKind})` : TITLES[system];
}

/** One release's row: version, date, part, changes, maintainers' citations, items (and omitted), then the figures. */
function releaseCells(r: DraftedRelease, opts: { omitted?: boolean } = {}): (string | number)[] {
  const c = r.counts.shipcheck;
  const v = figures(c);
  const counts = [r.release.changes.length, c.gold, c.items, ...(opts.omitted ? [r.draft.omitted.length] : [])];
  return [r.release.version, r.release.date.slice(0, 10), r.part, ...counts, ...FIGURES.map((k) => f3(v[k]))];
}

const row = (cells: (string | number)[], widths: number[]) =>
  cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!))).join(' ');

export function renderText(title: string, result: NotesEvalResult): string {
  const lines = [title, ''];
  const w = [10, 11, 6, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6];
  lines.push(row(['version', 'date', 'part', 'chg', 'gold', 'items', ...FIGURES], w));
  for (const r of result.releases) lines.push(row(releaseCells(r), w));
  lines.push('');
  const sw = [24, 8, 6, ...FIGURES.map(() => 6)];
  for (const s of result.slices) {
    lines.push(`${s.name}: ${s.systems.shipcheck.releases} releases`);
    lines.push(row(['system', 'average', 'items', ...FIGURES], sw));
    for (const system of Object.keys(s.systems) as System[]) {
      const p = s.systems[system];
      for (const avg of ['micro', 'macro'] as const) {
        const fig: Figures = p[avg];
        lines.push(
          row(
            [
              avg === 'micro' ? systemTitle(system, result) : '',
              avg,
              avg === 'micro' ? p.counts.items : '',
              ...FIGURES.map((k) => f3(fig[k])),
            ],
            sw,
          ),
        );
      }
    }
    lines.push('');
  }
  lines.push(
    `test part: the newest ${result.testCount} releases by tag date, drafted with the house style of the ${result.trainCount} before them; selection: ${result.selection}`,
  );
  return lines.join('\n');
}

export function renderReportMarkdown(title: string, result: NotesEvalResult): string {
  const md = (cells: (string | number)[]) => `| ${cells.map((c) => escapeMarkdown(String(c))).join(' | ')} |`;
  const lines = [`# ${escapeMarkdown(title)}`, ''];
  lines.push(
    `- **Releases:** ${result.releases.length} (${result.trainCount} before the test part, ${result.testCount} in it, newest by tag date)`,
    `- **Selection:** ${escapeMarkdown(result.selection)}`,
    "- **Figures:** valid = items whose every id is a change of the range; P/R/F1 = change keys cited vs the maintainers'; sec = section agreement on keys both cite; RL / RLsum = ROUGE-L and summary-level ROUGE-Lsum of the rendered draft vs the maintainers' notes. micro pools counts, macro averages releases.",
    '',
  );
  for (const s of result.slices) {
    lines.push(`## ${escapeMarkdown(s.name)} (${s.systems.shipcheck.releases} releases)`, '');
    lines.push(md(['system', 'average', ...FIGURES]), md(['---', '---', ...FIGURES.map(() => '---:')]));
    for (const system of Object.keys(s.systems) as System[]) {
      for (const avg of ['micro', 'macro'] as const)
        lines.push(md([systemTitle(system, result), avg, ...FIGURES.map((k) => f3(s.systems[system][avg][k]))]));
    }
    lines.push('');
  }
  lines.push('## Per release (shipcheck)', '');
  lines.push(
    md(['version', 'date', 'part', 'changes', 'gold', 'items', 'omitted', ...FIGURES]),
    md(['---', '---', '---', ...Array(11).fill('---:')]),
  );
  for (const r of result.releases) lines.push(md(releaseCells(r, { omitted: true })));
  lines.push('', '## Why changes were left out', '', md(['reason', 'changes']), md(['---', '---:']));
  for (const [reason, n] of omittedByReason(result.releases.flatMap((r) => r.draft.omitted))) lines.push(md([reason, n]));
  return `${lines.join('\n')}\n`;
}
