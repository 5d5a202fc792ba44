/**
 * The rollback plan of a release's operational notes: the runbook chunk that
 * says how to roll its service back, found as of the draft's time.
 */
import type { SearchHit } from '../contracts/search.js';
import type { NotesRelease, RunbookSearch } from './ports.js';
import type { OperationalInput } from './types.js';

/** Another service's runbook is borrowed only when it is a rollback procedure (a platform-wide one). */
const ROLLBACK_TITLE = /\broll(?:ing)?[ -]?back\b/i;
/** Where a runbook chunk's steps start: a Steps heading (best), else a numbered list (a checklist may be one). */
const STEPS_HEADING = /\bSteps\b[\s\S]*/;
const NUMBERED = /(?:^|\s)1\.\s[\s\S]*/;

/**
 * A search snippet is cut at a length, often inside a step ("… 3. Roll back: … 4.…"): the steps are kept up to the
 * last whole one, since a half step misleads; the whole runbook opens at the cited chunk.
 */
function completeSteps(text: string): string {
  if (!text.endsWith('…')) return text;
  const last = [...text.matchAll(/\s\d+\.\s|\s\d+\.…$/g)].at(-1);
  return last?.index ? `${text.slice(0, last.index).trim()} …` : text;
}

/** The steps that apply, cited; null when there is no runbook for it (or the search failed: never an error). */
export async function rollbackPlan(
  runbooks: RunbookSearch | undefined,
  tenantId: string,
  release: NotesRelease,
  at: Date,
  log?: (msg: string, fields?: Record<string, unknown>) => void,
): Promise<OperationalInput['rollback']> {
  if (!runbooks) return null;
  try {
    const hits: SearchHit[] = await runbooks.search(tenantId, {
      q: `roll back ${release.service} ${release.strategy ?? ''} deployment rollback procedure`,
      k: 8,
      kind: 'runbook',
      asOf: at.toISOString(),
    });
    // The chunk that holds the steps, the service's own runbook first: what on-call needs, not its preamble.
    // Another service's runbook counts only when it is about rolling back, never a runbook for something else
    // that happens to have steps (another service's key rotation).
    const ranked = [
      ...hits.filter((h) => h.service === release.service),
      ...hits.filter((h) => h.service !== release.service && ROLLBACK_TITLE.test(h.title)),
    ];
    const hit = ranked.find((h) => STEPS_HEADING.test(h.snippet)) ?? ranked.find((h) => NUMBERED.test(h.snippet)) ?? ranked[0];
    if (!hit) return null;
    const steps = (STEPS_HEADING.exec(hit.snippet) ?? NUMBERED.exec(hit.snippet))?.[0] ?? hit.snippet.replace(/^\[[^\]]*\]\s*/, '');
    return { text: `${hit.title}: ${completeSteps(steps.trim())}`, evidence: [hit.chunkId] };
  } catch (err) {
    log?.('runbook search failed; notes drafted without a rollback plan', { release: release.id, error: String(err) });
    return null;
  }
}
