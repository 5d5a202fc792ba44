import type { PolicyView } from '../../contracts/governance.js';
import { empty } from '../components.js';
import { YAML_INDENTS } from '../css.js';
import type { PageContext } from '../env.js';
import { type Html, h, when } from '../html.js';
import { page } from '../layout.js';

/**
 * The YAML one line to a block: a long line (a comment, a list of owners)
 * wraps inside the card, its rest two columns in from the line's own indent,
 * so a wrapped rest never reads as a line of its own. Each line keeps its newline: copying gives the YAML back.
 */
function yamlBlock(yaml: string): Html {
  const lines = yaml.replace(/\n$/, '').split('\n');
  const indent = (l: string) => Math.min(YAML_INDENTS, l.length - l.trimStart().length);
  return h`<pre class="yaml">${lines.map((l) => h`<span class="line i${indent(l)}">${l}\n</span>`)}</pre>`;
}

/** Each service's current policy: who wrote it, when and why, and the YAML itself. */
export function policyPage(ctx: PageContext, policies: PolicyView[]): Html {
  const cards = [...policies]
    .sort((a, b) => (a.service === 'default' ? -1 : b.service === 'default' ? 1 : a.service.localeCompare(b.service)))
    .map(
      (p) => h`<section class="card" aria-labelledby="pol-${p.service}">
<h2 id="pol-${p.service}">${p.service === 'default' ? 'default (every service without its own)' : p.service} <span class="muted small">v${p.version}</span></h2>
<dl class="kv small"><dt>Changed by</dt><dd>${p.actor}</dd><dt>When</dt><dd>${when(p.createdAt)}</dd><dt>Why</dt><dd>${p.reason}</dd>
${p.version > 1 ? h`<dt>Earlier versions</dt><dd>${p.version === 2 ? 'v1' : `v1–v${p.version - 1}`}, with who changed each and why: <code>GET /v1/policies/${encodeURIComponent(p.service)}</code></dd>` : ''}</dl>
${yamlBlock(p.yaml)}
</section>`,
    );
  return page(
    ctx,
    'Policy',
    h`<div class="page-head"><h1>Release policy</h1>
<p class="muted small">What each risk level needs before promotion, freezes and the emergency override. Change a policy with <code>PUT /v1/policies/:service</code>; every version is kept and recorded in the audit log.</p></div>
${cards.length ? h`<div class="grid">${cards}</div>` : h`<section class="card">${empty('No policy written: the built-in default applies (high needs one approval, critical is held).')}</section>`}`,
  );
}
