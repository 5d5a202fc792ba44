import { problemBox } from '../components.js';
import type { PageContext } from '../env.js';
import { type Html, h } from '../html.js';
import { barePage, page } from '../layout.js';

/** A page that answers with an error: its code, its message, and the way back. */
export function errorPage(ctx: PageContext | undefined, problem: { code: string; message: string; requestId?: string }): Html {
  const body = h`<div class="page-head"><h1>${headline(problem.code)}</h1></div>
${problemBox(problem)}
${problem.requestId ? h`<p class="muted small">Request id: <code>${problem.requestId}</code></p>` : ''}
<p><a href="/console">Back to releases</a></p>`;
  return ctx ? page(ctx, headline(problem.code), body) : barePage(headline(problem.code), body);
}

function headline(code: string): string {
  switch (code) {
    case 'not_found':
      return 'Not found';
    case 'forbidden':
      return 'Not allowed';
    case 'unauthorized':
      return 'Not logged in';
    case 'conflict':
      return 'Already done';
    case 'validation_failed':
    case 'bad_request':
      return 'Check the form';
    default:
      return 'Something went wrong';
  }
}
