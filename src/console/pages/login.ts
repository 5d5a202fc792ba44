import { problemBox } from '../components.js';
import { type Html, h } from '../html.js';
import { barePage } from '../layout.js';

/**
 * The login form: an API token is exchanged for a session cookie. The token
 * field is never filled in, not even after a failed attempt: a token is
 * never written back into a page.
 */
export function loginPage(problem?: { code: string; message: string }): Html {
  return barePage(
    'Log in',
    h`<div class="login card">
<h1>Log in to the console</h1>
<p class="muted">Use an API token of your tenant (make one with <code>shipcheck tokens create --tenant T --scopes read,approve --name you</code>).
It is exchanged for a session cookie and is not kept in the browser.</p>
${problemBox(problem)}
<form method="post" action="/console/login" class="form">
<label for="token">API token</label>
<input id="token" name="token" type="password" autocomplete="off" autocapitalize="off" spellcheck="false" required>
<div class="buttons"><button class="btn" type="submit">Log in</button></div>
</form>
</div>`,
  );
}
