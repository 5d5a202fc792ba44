import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie } from 'hono/cookie';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { DecisionInput } from '../contracts/advisor.js';
import { AppError } from '../contracts/errors.js';
import { NotesApproveInput, NotesEditInput } from '../contracts/notes.js';
import { doraWindow } from '../governance/dora/index.js';
import { hasScope } from '../governance/tokens.js';
import { CONSOLE_CSS } from './css.js';
import type { ConsoleDeps } from './deps.js';
import type { ConsoleEnv, PageContext } from './env.js';
import type { Html } from './html.js';
import { auditPage } from './pages/audit.js';
import { doraPage } from './pages/dora.js';
import { errorPage } from './pages/error.js';
import { evidencePage } from './pages/evidence.js';
import { loginPage } from './pages/login.js';
import { policyPage } from './pages/policy.js';
import { loadRelease, type ReleasePageState, releasePage } from './pages/release.js';
import type { DecisionDraft } from './pages/release-decisions.js';
import { releasesPage } from './pages/releases.js';
import {
  assertSameOrigin,
  COOKIE,
  checkedForm,
  clearSessionCookie,
  formFields,
  now,
  requireScope,
  requireSession,
  securityHeaders,
  setSessionCookie,
} from './security.js';

/** Largest form the console reads (the notes editor of a long release is the biggest). */
const MAX_FORM_BYTES = 2_000_000;
const RELEASES_SHOWN = 100;
const AUDIT_PAGE = 50;
const DAY_MS = 86_400_000;

/**
 * The web console, mounted at /console: server-rendered pages over the same
 * services as the API, for the tenant of the logged-in session. It has its
 * own authentication (a session cookie made from an API token) and checks
 * every form it receives (same origin, one-time token, scope).
 */
export function consoleRoutes(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const authed = requireSession(deps);
  const ctxOf = (c: Context<ConsoleEnv>): PageContext => pageContext(c, deps);
  const render = (c: Context, body: Html, status = 200) => c.html(body, status as ContentfulStatusCode);

  app.use('*', securityHeaders);
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_FORM_BYTES,
      onError: () => {
        throw new AppError('payload_too_large', `the form is larger than ${MAX_FORM_BYTES} bytes`);
      },
    }),
  );
  app.onError((err, c) => {
    const ctx = c.get('session') ? ctxOf(c) : undefined;
    if (err instanceof AppError && err.code !== 'internal')
      return render(c, errorPage(ctx, { code: err.code, message: err.message }), err.status);
    const requestId = c.get('requestId') ?? '-';
    deps.logError?.('console request failed', { requestId, path: c.req.path, error: err instanceof Error ? err.message : String(err) });
    return render(
      c,
      errorPage(ctx, { code: 'internal', message: 'internal error; quote the request id when reporting it', requestId }),
      500,
    );
  });

  app.get('/assets/console.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(CONSOLE_CSS);
  });

  app.get('/login', (c) => render(c, loginPage()));
  app.post('/login', async (c) => {
    assertSameOrigin(c, deps);
    const token = (await formFields(c)).token?.trim() ?? '';
    if (!token) return render(c, loginPage({ code: 'bad_request', message: 'enter an API token' }), 400);
    const out = await deps.sessions.login(token, now(deps));
    if (!out) return render(c, loginPage({ code: 'unauthorized', message: 'invalid or revoked token' }), 401);
    // A session this browser held before ends here: one browser, one live session.
    const previous = getCookie(c, COOKIE);
    if (previous) await deps.sessions.logout(previous);
    setSessionCookie(c, deps, out.cookie, out.session.expiresAt);
    return c.redirect('/console', 303);
  });
  app.post('/logout', authed, async (c) => {
    await checkedForm(c, deps);
    await deps.sessions.logout(c.get('cookie'));
    clearSessionCookie(c, deps);
    return c.redirect('/console/login', 303);
  });

  app.get('/', authed, async (c) => {
    const service = c.req.query('service')?.trim() || undefined;
    if (service && service.length > 200) throw new AppError('validation_failed', 'a service name has at most 200 characters');
    const rows = await deps.governance.releaseRows(c.get('session').tenantId, { limit: RELEASES_SHOWN, ...(service ? { service } : {}) });
    return render(c, releasesPage(ctxOf(c), rows, service, RELEASES_SHOWN));
  });

  app.get('/releases/:id', authed, async (c) => {
    const id = c.req.param('id');
    const data = await loadRelease(deps, c.get('session').tenantId, id);
    const recorded = c.req.query('recorded');
    return render(c, releasePage(ctxOf(c), data, recorded ? { recorded } : {}));
  });

  /** Renders the release again with the refusal on it (and the words typed), at the refusal's status. */
  const refused = async (c: Context<ConsoleEnv>, id: string, err: unknown, draft?: DecisionDraft) => {
    if (!(err instanceof AppError) || err.code === 'internal') throw err;
    const data = await loadRelease(deps, c.get('session').tenantId, id);
    const state: ReleasePageState = { problem: { code: err.code, message: err.message }, ...(draft ? { draft } : {}) };
    return render(c, releasePage(ctxOf(c), data, state), err.status);
  };

  app.post('/releases/:id/decisions', authed, async (c) => {
    const id = c.req.param('id');
    const form = await checkedForm(c, deps);
    const session = c.get('session');
    requireScope(session, 'approve');
    const draft: DecisionDraft = { form: form.form === 'approval' ? 'approval' : 'rollout', reason: form.reason ?? '' };
    try {
      if (!form.reason?.trim()) throw new AppError('validation_failed', 'a reason is required: say why you decide this');
      const input = parsed(DecisionInput, {
        action: form.action,
        reason: form.reason,
        ...(form.advisoryId ? { advisoryId: form.advisoryId } : {}),
        ...(form.assessmentId ? { assessmentId: form.assessmentId } : {}),
      });
      const actor = { tenantId: session.tenantId, tenantSlug: session.tenantSlug, tokenName: session.tokenName, scopes: session.scopes };
      await deps.governance.decide(actor, id, input);
      return c.redirect(`/console/releases/${encodeURIComponent(id)}?recorded=${input.action}#decisions`, 303);
    } catch (err) {
      return refused(c, id, err, draft);
    }
  });

  app.post('/releases/:id/notes', authed, async (c) => {
    const id = c.req.param('id');
    const form = await checkedForm(c, deps);
    const session = c.get('session');
    requireScope(session, 'approve');
    try {
      const basedOn = positiveInt(form.basedOn, 'basedOn');
      // The items of the version the editor showed: their sections and citations stay, their words are the form's.
      const seen = await deps.notes.get(session.tenantId, id, basedOn);
      const items = seen.draft.items
        .map((item, k) => ({ ...item, text: (form[`text.${k}`] ?? item.text).trim() }))
        .filter((item) => item.text.length > 0);
      const input = parsed(NotesEditInput, {
        basedOn,
        items,
        summary: form.summary ?? '',
        ...(form.reason?.trim() ? { reason: form.reason.trim() } : {}),
      });
      await deps.notes.edit(session.tenantId, id, session.tokenName, input);
      return c.redirect(`/console/releases/${encodeURIComponent(id)}?recorded=notes_saved#notes`, 303);
    } catch (err) {
      return refused(c, id, err);
    }
  });

  app.post('/releases/:id/notes/approve', authed, async (c) => {
    const id = c.req.param('id');
    const form = await checkedForm(c, deps);
    const session = c.get('session');
    requireScope(session, 'approve');
    try {
      const input = parsed(NotesApproveInput, {
        version: positiveInt(form.version, 'version'),
        ...(form.reason?.trim() ? { reason: form.reason.trim() } : {}),
      });
      await deps.notes.approve(session.tenantId, id, session.tokenName, input);
      return c.redirect(`/console/releases/${encodeURIComponent(id)}?recorded=notes_approved#notes`, 303);
    } catch (err) {
      return refused(c, id, err);
    }
  });

  app.get('/evidence/:id', authed, async (c) => {
    const back = c.req.query('release');
    const evidence = await deps.evidence.open(c.get('session').tenantId, c.req.param('id'));
    return render(c, evidencePage(ctxOf(c), evidence, back && /^[A-Za-z0-9-]{1,100}$/.test(back) ? back : undefined));
  });

  app.get('/audit', authed, async (c) => {
    const raw = c.req.query('after');
    const after = raw === undefined || raw === '' ? 0 : nonNegativeInt(raw, 'after');
    const tenantId = c.get('session').tenantId;
    const [page, check] = await Promise.all([
      deps.governance.auditPage(tenantId, { after, limit: AUDIT_PAGE }),
      deps.governance.verifyAudit(tenantId),
    ]);
    return render(c, auditPage(ctxOf(c), page, check, after));
  });

  app.get('/dora', authed, async (c) => {
    const service = c.req.query('service')?.trim() || undefined;
    // `to` names the last day shown: the window ends at the start of the next day.
    const given = c.req.query('to') ? new Date(day(c.req.query('to')!, 'to').getTime() + DAY_MS) : undefined;
    const { from, to } = doraWindow(now(deps), {
      from: c.req.query('from') ? day(c.req.query('from')!, 'from') : undefined,
      to: given,
    });
    const fromDay = from.toISOString().slice(0, 10);
    const toDay = new Date(to.getTime() - DAY_MS).toISOString().slice(0, 10);
    if (from >= to) throw new AppError('validation_failed', '"from" must be on or before "to"');
    const report = await deps.governance.dora(c.get('session').tenantId, { from, to, ...(service ? { service } : {}) });
    return render(c, doraPage(ctxOf(c), report, { service, from: fromDay, to: toDay }));
  });

  app.get('/policy', authed, async (c) => render(c, policyPage(ctxOf(c), await deps.governance.policies(c.get('session').tenantId))));

  app.all('*', authed, (c) => {
    throw new AppError('not_found', `no console page ${c.req.path}`);
  });
  return app;
}

function pageContext(c: Context<ConsoleEnv>, deps: ConsoleDeps): PageContext {
  const session = c.get('session');
  return {
    session,
    path: c.req.path,
    canAct: hasScope(session.scopes, 'approve'),
    formToken: () => deps.sessions.formToken(session, now(deps)),
  };
}

/** The schema's answer, or a 400 naming the first field it refused. */
function parsed<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  throw new AppError('validation_failed', `${where}${issue.message}`);
}

function positiveInt(raw: string | undefined, name: string): number {
  const n = nonNegativeInt(raw ?? '', name);
  if (n < 1) throw new AppError('validation_failed', `${name} must be a whole number from 1`);
  return n;
}

function nonNegativeInt(raw: string, name: string): number {
  if (!/^\d{1,9}$/.test(raw)) throw new AppError('validation_failed', `${name} must be a whole number`);
  return Number(raw);
}

/** A day as YYYY-MM-DD, read as its first instant in UTC. */
function day(raw: string, name: string): Date {
  const d = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? new Date(`${raw}T00:00:00Z`) : undefined;
  if (!d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== raw)
    throw new AppError('validation_failed', `"${name}" must be a day as YYYY-MM-DD`);
  return d;
}
