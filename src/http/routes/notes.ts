import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { AppError, ErrorEnvelope, ValidationError } from '../../contracts/errors.js';
import { NotesApproveInput, NotesDraftRequest, NotesEditInput, NotesFormat, NotesView } from '../../contracts/notes.js';
import type { NotesService } from '../../notes/service.js';
import { scopedRoute } from '../route.js';
import { newRouter } from '../router.js';
import { errorResponses, ReleaseId } from './release-common.js';

const problem = (description: string) => ({ description, content: { 'application/json': { schema: ErrorEnvelope } } });
const json = (description: string) => ({ description, content: { 'application/json': { schema: NotesView } } });
const CITES =
  'Every item cites the changes it comes from (`changeIds`: `#PR` or commit hash) and their evidence ids (`change:<uuid>`), ' +
  'each of which opens at `GET /v1/evidence/{id}`; every change of the release is either cited or listed in `omitted` with a reason.';

const draftNotes = scopedRoute('score', {
  method: 'post',
  path: '/v1/releases/{id}/notes',
  tags: ['notes'],
  summary: "Draft the release's notes (a new version when notes exist)",
  description: `${CITES} With an LLM configured, items are reworded and each reworded line is kept only when the verifier accepts it (\`{"llm": false}\` skips it).`,
  request: { params: ReleaseId, body: { required: false, content: { 'application/json': { schema: NotesDraftRequest } } } },
  responses: {
    201: json('The draft, stored as a new version'),
    ...errorResponses,
    404: problem('No such release'),
    409: problem('Another draft or edit was stored at the same time'),
  },
});

const editNotes = scopedRoute('approve', {
  method: 'put',
  path: '/v1/releases/{id}/notes',
  tags: ['notes'],
  summary: "Store a person's edit of the latest version (the edit distance from the machine draft is recorded)",
  description:
    '`basedOn` is the version the edit starts from: when a newer one is stored, the answer is 409 and nothing is written. ' +
    'Each item must cite at least one change of this release; an id that names no change of it is refused (400) naming the item. ' +
    'Changes no item cites stay listed in `omitted` (reason `edited_out` when the edit removed them).',
  request: { params: ReleaseId, body: { required: true, content: { 'application/json': { schema: NotesEditInput } } } },
  responses: {
    200: json('The edited notes, stored as a new version'),
    ...errorResponses,
    404: problem('No such release, or no notes yet'),
    409: problem('The edit is based on an older version'),
  },
});

const approveNotes = scopedRoute('approve', {
  method: 'post',
  path: '/v1/releases/{id}/notes/approve',
  tags: ['notes'],
  summary: 'Approve the latest version of the notes (recorded as a decision with the token name)',
  description:
    'The approval is listed at `GET /v1/releases/{id}/decisions` (action `approve_notes`). An edit after it makes a new version that needs approving again.',
  request: { params: ReleaseId, body: { required: false, content: { 'application/json': { schema: NotesApproveInput } } } },
  responses: {
    200: json('The approved notes'),
    ...errorResponses,
    404: problem('No such release, or no notes yet'),
    409: problem('Not the latest version, or already approved'),
  },
});

const getNotes = scopedRoute('read', {
  method: 'get',
  path: '/v1/releases/{id}/notes',
  tags: ['notes'],
  summary: 'The notes (latest version, or `version=N`) as JSON or, with `format=md`, as Markdown',
  request: {
    params: ReleaseId,
    query: z.object({ format: NotesFormat.optional(), version: z.coerce.number().int().min(1).optional() }),
  },
  responses: {
    200: { description: 'The notes', content: { 'application/json': { schema: NotesView }, 'text/markdown': { schema: z.string() } } },
    ...errorResponses,
    404: problem('No such release, no notes yet, or no such version'),
  },
});

/** An optional JSON body: absent or empty means the defaults; malformed JSON or a wrong field is a 400, never ignored. */
async function optionalBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.output<T>> {
  const text = (await c.req.text()).trim();
  let raw: unknown = {};
  if (text) {
    try {
      raw = JSON.parse(text);
    } catch {
      throw new AppError('invalid_json', 'the body is not valid JSON');
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationError(`${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  return parsed.data;
}

export function notesRoutes(notes: NotesService) {
  const app = newRouter();
  app.openapi(draftNotes, async (c) => {
    const body = await optionalBody(c, NotesDraftRequest);
    return c.json(await notes.draft(c.get('auth').tenantId, c.req.valid('param').id, body), 201);
  });
  app.openapi(editNotes, async (c) => {
    const { tenantId, tokenName } = c.get('auth');
    return c.json(await notes.edit(tenantId, c.req.valid('param').id, tokenName, c.req.valid('json')), 200);
  });
  app.openapi(approveNotes, async (c) => {
    const { tenantId, tokenName } = c.get('auth');
    const body = await optionalBody(c, NotesApproveInput);
    return c.json(await notes.approve(tenantId, c.req.valid('param').id, tokenName, body), 200);
  });
  app.openapi(getNotes, async (c) => {
    const { format, version } = c.req.valid('query');
    const v = await notes.get(c.get('auth').tenantId, c.req.valid('param').id, version);
    if (format === 'md') return c.body(v.markdown, 200, { 'content-type': 'text/markdown; charset=utf-8' });
    return c.json(v, 200);
  });
  return app;
}
