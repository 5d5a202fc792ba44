/**
 * Who a token name is, for self-approval and ownership. A change's author is
 * stored as git and forges write it (`Dana Scully <dana@example.com>`, a
 * bare `dana@example.com`, or a login `dana`); a token is named by a person
 * (`dana` or `dana@example.com`). They match when a whole identity is equal,
 * case-insensitively: the whole text, the email, the email's local part, or
 * the display name. Never a prefix or a substring: `al` is not `alice`.
 */

/** The identities one stored text stands for, lower-cased. */
export function identitiesOf(text: string): Set<string> {
  const out = new Set<string>();
  const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
  const add = (s: string | undefined) => {
    const v = s === undefined ? '' : norm(s);
    if (v) out.add(v);
  };
  const whole = norm(text);
  add(whole);
  const angled = /^(.*?)\s*<([^<>\s]+@[^<>\s]+)>$/.exec(whole);
  const name = angled ? angled[1]!.replace(/^"(.*)"$/, '$1') : undefined;
  const email = angled ? angled[2]! : /^[^\s@<>]+@[^\s@<>]+$/.test(whole) ? whole : undefined;
  add(name);
  if (email) {
    add(email);
    const local = email.slice(0, email.lastIndexOf('@'));
    add(local);
    // GitHub's private addresses: 12345+dana@users.noreply.github.com is the login dana.
    const noreply = /^\d+\+(.+)$/.exec(local);
    if (noreply && email.endsWith('@users.noreply.github.com')) add(noreply[1]);
  }
  return out;
}

/** Whether the token name `actor` and the stored `who` are the same person. */
export function samePerson(actor: string, who: string): boolean {
  const mine = identitiesOf(actor);
  for (const id of identitiesOf(who)) if (mine.has(id)) return true;
  return false;
}

/** Whether `actor` registered the release or authored one of its changes. */
export function isSelf(actor: string, release: { registeredBy: string | null; authors: string[] }): boolean {
  const people = release.registeredBy ? [release.registeredBy, ...release.authors] : release.authors;
  return people.some((who) => samePerson(actor, who));
}

/**
 * Whether `actor` is one of `names` (token names a policy lists: owners, who may override). Matching that
 * grants a right is exact (whole name, ignoring case and spacing): the loose matching above suits refusing a
 * self-approval, where a false match only refuses, but `alice@vendor.example` must not count as the owner
 * `alice@corp.example`, nor `alice@corp.example` as the owner `alice`.
 */
export function isNamed(actor: string, names: readonly string[]): boolean {
  const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
  const me = norm(actor);
  return me !== '' && names.some((n) => norm(n) === me);
}

/** Whether `actor` is one of the service's `owners` (token names): exact, as every grant. */
export function isOwner(actor: string, owners: readonly string[]): boolean {
  return isNamed(actor, owners);
}
