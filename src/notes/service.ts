/**
 * Release notes for a stored release: draft (from its changes, diffs,
 * tickets, flags, risk assessment and the runbooks), edit, approve. Every
 * version is kept; an edit starts from the version its author saw; an
 * approval is a decision with the token's name. The arithmetic is in the
 * pure files beside this one; this file only fetches and stores.
 */
import { AppError, NotFoundError, ValidationError } from '../contracts/errors.js';
import type { NotesDraft, NotesEditInput, NotesItem, NotesView, OmittedChange } from '../contracts/notes.js';
import { resolveChangeId } from './dataset.js';
import { draftNotes } from './draft.js';
import { editDistance } from './edit-distance.js';
import type { NotesApproval, NotesRelease, NotesStore, NotesVersion, NotesVersionListing, RunbookSearch } from './ports.js';

export type { NotesLearning, NotesRewording } from './types.js';
import { renderMarkdown } from './render.js';
import { rollbackPlan } from './rollback-plan.js';
import { noteChangeOf } from './stored-change.js';
import type { NoteChange, NotesLearning, NotesRewording, OperationalInput } from './types.js';

/** Earlier approved notes the house style and the selection model learn from. */
const LEARN_FROM_RELEASES = 50;
/** The machine's name in the version history. */
const DRAFTER = 'shipcheck';

export interface NotesServiceDeps {
  store: NotesStore;
  runbooks?: RunbookSearch;
  learning?: NotesLearning;
  reword?: NotesRewording;
  clock?: () => number;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

export class NotesConflictError extends AppError {
  constructor(message: string, details?: unknown) {
    super('conflict', message, { details });
  }
}

export function createNotesService(deps: NotesServiceDeps) {
  const now = () => new Date(deps.clock?.() ?? Date.now());

  async function releaseOr404(tenantId: string, releaseId: string): Promise<NotesRelease> {
    const release = await deps.store.source.release(tenantId, releaseId);
    if (!release) throw new NotFoundError(`release ${releaseId} not found`);
    return release;
  }

  /** A machine draft must not silently become the latest over a person's edit or an approval. */
  function refuseOverPeoplesWork(latest: NotesVersion | undefined, approvals: NotesApproval[]) {
    if (!latest) return;
    const approved = approvals.find((a) => a.version === latest.version);
    if (latest.kind === 'edit' || approved)
      throw new NotesConflictError(
        `version ${latest.version} was ${approved ? `approved by ${approved.actor}` : `edited by ${latest.actor}`}; ` +
          'a new draft would replace it as the latest: send {"replace": true} to draft anyway (every version is kept)',
        { latest: latest.version, ...(approved ? { approvedBy: approved.actor } : { editedBy: latest.actor }) },
      );
  }

  /** The answer for one version: its draft, its approval, and the listing of every version (drafts not read again). */
  async function view(
    tenantId: string,
    release: NotesRelease,
    v: NotesVersion,
    known: { approvals?: NotesApproval[]; listing?: NotesVersionListing[] } = {},
  ): Promise<NotesView> {
    const [listing, approvals] = await Promise.all([
      known.listing ?? deps.store.log.listing(tenantId, release.id),
      known.approvals ?? deps.store.log.approvals(tenantId, release.id),
    ]);
    const approval = approvals.find((a) => a.version === v.version);
    return {
      releaseId: release.id,
      service: release.service,
      release: release.version,
      version: v.version,
      status: approval ? 'approved' : 'draft',
      summary: v.summary,
      draft: v.draft,
      markdown: v.markdown,
      editDistance: v.editDistance,
      approvedBy: approval?.actor ?? null,
      approvedAt: approval?.createdAt.toISOString() ?? null,
      decisionId: approval?.decisionId ?? null,
      versions: listing.map((x) => ({ ...x, createdAt: x.createdAt.toISOString() })),
    };
  }

  function stored(appended: NotesVersion | { conflict: number }, expected: number): NotesVersion {
    if ('conflict' in appended)
      throw new NotesConflictError(
        `the notes changed while this request ran: version ${appended.conflict} is stored now, and this one was based on ${expected}; read them again and re-apply`,
        { latest: appended.conflict, basedOn: expected },
      );
    return appended;
  }

  return {
    /** A new machine draft (version latest + 1): from the release's changes, diffs, tickets, flags, risk and runbooks. */
    async draft(tenantId: string, releaseId: string, opts: { llm?: boolean; replace?: boolean } = {}): Promise<NotesView> {
      const release = await releaseOr404(tenantId, releaseId);
      const [latest, approvals] = await Promise.all([
        deps.store.log.get(tenantId, releaseId),
        deps.store.log.approvals(tenantId, releaseId),
      ]);
      if (!opts.replace) refuseOverPeoplesWork(latest, approvals);
      const [rows, assessment, earlier, rollback] = await Promise.all([
        deps.store.source.changes(tenantId, releaseId),
        deps.store.source.assessment(tenantId, releaseId),
        deps.learning ? deps.store.source.approvedBefore(tenantId, release.serviceId, release.createdAt, LEARN_FROM_RELEASES) : [],
        rollbackPlan(deps.runbooks, tenantId, release, now(), deps.log),
      ]);
      const operational: OperationalInput = {
        flags: release.flags.map((name) => ({ name, source: `release ${release.version}` })),
        rollback,
        risk: assessment
          ? { level: assessment.level, score: assessment.score, assessmentId: assessment.id, link: `/v1/releases/${release.id}/risk` }
          : null,
      };
      const changes = rows.map(noteChangeOf);
      const learned = deps.learning?.prepare(earlier.map((e) => ({ ...e, changes: e.changes.map(noteChangeOf) }))) ?? {};
      const warnings = changes.length === 0 ? [`release ${release.version} has no changes: the draft has no items`] : [];
      if (opts.llm === true && !deps.reword)
        warnings.push('LLM wording was asked for, but no LLM is configured: the items keep the rules’ words');
      let draft = draftNotes({ version: release.version, changes, operational, warnings, ...learned });
      if (deps.reword && opts.llm !== false && draft.items.length > 0) draft = await deps.reword(draft, changes);
      const markdown = renderMarkdown(draft);
      const expected = latest?.version ?? 0;
      const appended = await deps.store.log.append(tenantId, releaseId, expected, {
        kind: 'draft',
        draft,
        summary: null,
        markdown,
        baseVersion: expected + 1,
        editDistance: 0,
        actor: DRAFTER,
        reason: null,
        createdAt: now(),
      });
      // A new version has no approval yet: the approvals read above are still the whole list.
      return view(tenantId, release, stored(appended, expected), { approvals });
    },

    /** A person's edit of the latest version: items must cite changes of this release; the edit distance is recorded. */
    async edit(tenantId: string, releaseId: string, actor: string, input: NotesEditInput): Promise<NotesView> {
      const release = await releaseOr404(tenantId, releaseId);
      const [latest, rows] = await Promise.all([deps.store.log.get(tenantId, releaseId), deps.store.source.changes(tenantId, releaseId)]);
      const changes = rows.map(noteChangeOf);
      if (!latest) throw new NotFoundError(`release ${release.version} has no notes yet: POST /v1/releases/${releaseId}/notes drafts them`);
      if (input.basedOn !== latest.version)
        throw new NotesConflictError(
          `this edit is based on version ${input.basedOn}, but version ${latest.version} is the latest; read it and re-apply the edit`,
          { latest: latest.version, basedOn: input.basedOn },
        );
      const items = citedItems(input.items as NotesItem[], changes, latest.draft.items);
      const draft = editedDraft(latest.draft, items, changes, actor);
      const summary = input.summary?.trim() ? input.summary.trim() : null;
      const markdown = renderMarkdown(draft, { summary });
      const base = latest.kind === 'draft' ? latest : await deps.store.log.get(tenantId, releaseId, latest.baseVersion);
      const appended = await deps.store.log.append(tenantId, releaseId, latest.version, {
        kind: 'edit',
        draft,
        summary,
        markdown,
        baseVersion: latest.baseVersion,
        editDistance: editDistance(base?.markdown ?? '', markdown),
        actor,
        reason: input.reason?.trim() || null,
        createdAt: now(),
      });
      return view(tenantId, release, stored(appended, latest.version));
    },

    /** Approves the latest version (or the one named, which must be the latest), recorded as a decision. */
    async approve(
      tenantId: string,
      releaseId: string,
      actor: string,
      input: { version?: number | undefined; reason: string },
    ): Promise<NotesView> {
      const release = await releaseOr404(tenantId, releaseId);
      const latest = await deps.store.log.get(tenantId, releaseId);
      if (!latest)
        throw new NotFoundError(`release ${release.version} has no notes to approve: POST /v1/releases/${releaseId}/notes drafts them`);
      const version = input.version ?? latest.version;
      if (version !== latest.version)
        throw new NotesConflictError(`version ${version} is not the latest (${latest.version}): approve what readers will get`, {
          latest: latest.version,
          version,
        });
      const approved = await deps.store.log.approve(tenantId, releaseId, { version, actor, reason: input.reason, createdAt: now() });
      if ('conflict' in approved)
        throw new NotesConflictError(
          `version ${version} was already approved by ${approved.conflict.actor} at ${approved.conflict.createdAt.toISOString()}`,
          { approvedBy: approved.conflict.actor, decisionId: approved.conflict.decisionId },
        );
      return view(tenantId, release, latest);
    },

    /** The latest version, or the one named. */
    async get(tenantId: string, releaseId: string, version?: number): Promise<NotesView> {
      const release = await releaseOr404(tenantId, releaseId);
      const [v, listing] = await Promise.all([
        deps.store.log.get(tenantId, releaseId, version),
        deps.store.log.listing(tenantId, releaseId),
      ]);
      if (listing.length === 0)
        throw new NotFoundError(`release ${release.version} has no notes yet: POST /v1/releases/${releaseId}/notes drafts them`);
      if (!v) throw new NotFoundError(`release ${release.version} has no notes version ${version} (latest: ${listing.at(-1)!.version})`);
      return view(tenantId, release, v, { listing });
    },
  };
}

export type NotesService = ReturnType<typeof createNotesService>;

/**
 * The edited items with their citations checked against the release: every id must name one of its changes
 * (a forged or mistyped id is refused, naming the item). What the client cannot vouch for is the server's:
 * the evidence ids, and where a line came from. An item identical to one of the previous version (same
 * section, words and changes) keeps its origin and its `why`; any other is a person's, without a `why`.
 */
function citedItems(items: NotesItem[], changes: NoteChange[], before: NotesItem[]): NotesItem[] {
  const byKey = new Map(changes.map((c) => [c.key, c]));
  const signature = (section: string, text: string, keys: string[]) => JSON.stringify([section, text, [...keys].sort()]);
  const previous = new Map(
    before.map((i) => [
      signature(
        i.section,
        i.text,
        i.changeIds.map((id) => resolveChangeId(changes, id) ?? id),
      ),
      i,
    ]),
  );
  return items.map((item, n) => {
    const keys = item.changeIds.map((id) => {
      const key = resolveChangeId(changes, id);
      if (!key) throw new ValidationError(`item ${n + 1} cites ${id}, which is not a change of this release`, { item: n, changeId: id });
      return key;
    });
    const evidence = [...new Set(keys.map((k) => byKey.get(k)!.evidenceId).filter((e): e is string => Boolean(e)))];
    const same = previous.get(signature(item.section, item.text, keys));
    const { why: _why, origin: _origin, evidence: _evidence, ...words } = item;
    return { ...words, evidence, origin: same?.origin ?? 'person', ...(same?.why ? { why: same.why } : {}) };
  });
}

/** The draft after an edit: the person's items; every change no item cites stays accounted for in `omitted`. */
function editedDraft(previous: NotesDraft, items: NotesItem[], changes: NoteChange[], actor: string): NotesDraft {
  const cited = new Set(items.flatMap((i) => i.changeIds.map((id) => resolveChangeId(changes, id)!)));
  const reasonBefore = new Map(previous.omitted.map((o) => [resolveChangeId(changes, o.changeId) ?? o.changeId, o]));
  const omitted: OmittedChange[] = changes
    .filter((c) => !cited.has(c.key))
    .map((c) => reasonBefore.get(c.key) ?? { changeId: c.key, reason: 'edited_out', detail: `removed by ${actor}` });
  return { ...previous, items, omitted, counts: { changes: changes.length, items: items.length, omitted: omitted.length } };
}
