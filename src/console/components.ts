import type { PageContext } from './env.js';
import { type Html, h, words } from './html.js';

/** The four risk levels and the policy states, each with its colour class (see console.css). */
const LEVELS = new Set(['low', 'medium', 'high', 'critical']);
const POLICY = new Set(['allowed', 'needs_approval', 'held', 'rejected', 'overridden']);
const ACTIONS = new Set(['continue', 'halt', 'rollback', 'promote', 'insufficient_data', 'needs_human']);

export function levelBadge(level: string | null, score?: number | null): Html {
  if (!level) return h`<span class="badge badge-none">not assessed</span>`;
  const cls = LEVELS.has(level) ? `lvl-${level}` : 'badge-none';
  return h`<span class="badge ${cls}">${level}${score !== undefined && score !== null ? h` · ${score}` : ''}</span>`;
}

/** A policy state; a release without one is described by its own cell (see the releases list), never as a blank verdict. */
export function policyBadge(state: string): Html {
  return h`<span class="badge ${POLICY.has(state) ? `pol-${state}` : 'badge-none'}">${words(state)}</span>`;
}

export function actionBadge(action: string | null): Html {
  if (!action) return h`<span class="muted nw">not watched</span>`;
  return h`<span class="badge ${ACTIONS.has(action) ? `act-${action}` : 'badge-none'}">${words(action)}</span>`;
}

/** A problem the page answers with: the API's code and its message, announced to screen readers. */
export function problemBox(problem: { code: string; message: string } | undefined): Html | '' {
  if (!problem) return '';
  return h`<div class="problem" role="alert"><strong>${problem.code}</strong> ${problem.message}</div>`;
}

/** A POST form with the session's one-time token: every form the console renders is made here. */
export function postForm(ctx: PageContext, action: string, body: Html, opts: { className?: string; label?: string } = {}): Html {
  return h`<form method="post" action="${action}" class="${opts.className ?? 'form'}"${opts.label ? h` aria-label="${opts.label}"` : ''}>
<input type="hidden" name="_form" value="${ctx.formToken()}">
${body}
</form>`;
}

/** A section with its heading and an anchor id for the in-page index. */
export function section(id: string, title: string, body: Html | string, extra?: Html): Html {
  return h`<section class="card" id="${id}" aria-labelledby="${id}-h">
<h2 id="${id}-h">${title}</h2>${extra ?? ''}
${body}
</section>`;
}

export const empty = (text: string) => h`<p class="muted empty">${text}</p>`;
