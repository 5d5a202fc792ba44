import type { ParsedReleaseInput } from '../contracts/risk.js';
import type { HistoryIncident, HistoryRelease } from './ports.js';
import { redact } from './redact/index.js';

/*
 * Redaction of every free-text field intake accepts besides document bodies:
 * a release's version, environment, flags, commit range and external id; a
 * change's id, title, body, author, labels and file paths; an incident's id,
 * title and severity. Done once, here, before anything is compared, stored,
 * scored or sent to a model, so every later reader sees only redacted text.
 *
 * Identifiers are redacted too, and that is safe for linking because redact()
 * is deterministic: the same id always becomes the same stored value, so a
 * re-sent release matches what is stored (200, not a 409), a change's
 * documents keep its id, and an incident keeps the id its document and its
 * outcome name. Ordinary ids (commit SHAs, UUIDs, `PR-123`) contain nothing
 * redact() replaces and are stored as sent.
 */

const text = (s: string) => redact(s).text;
const optional = <T extends string | null | undefined>(s: T): T => (typeof s === 'string' ? (text(s) as T) : s);
const list = (xs: readonly string[]) => xs.map(text);

/** How an external id is stored: what a later request naming it (an outcome's incident ids) must be matched with. */
export const storedIdentifier = text;
/** Free text redacted as intake stores it (the advisor's log lines and decision reasons). */
export const redactText = text;

/**
 * A name that is stored and shown exactly as sent (a service: it is in URLs,
 * filters and CLI flags, so it cannot hold a placeholder) must not look like a
 * secret. The problem, in words, or undefined.
 */
export function secretInName(field: string, name: string): string | undefined {
  const rules = secretRulesIn(name);
  if (rules === '') return undefined;
  return `${field}: looks like a secret (${rules}); it would be stored and shown as sent, so use a plain name`;
}

/** A batch names the same few services over and over: the verdict is remembered (bounded, like keys.ts). */
const nameVerdicts = new Map<string, string>();
const MAX_REMEMBERED = 4096;
function secretRulesIn(name: string): string {
  let rules = nameVerdicts.get(name);
  if (rules === undefined) {
    rules = Object.keys(redact(name).byRule).join(', ');
    if (nameVerdicts.size >= MAX_REMEMBERED) nameVerdicts.clear();
    nameVerdicts.set(name, rules);
  }
  return rules;
}

interface ChangeText {
  title: string;
  body?: string | null | undefined;
  author?: string | null | undefined;
  labels?: string[] | undefined;
  files?: { path: string; additions: number; deletions: number }[] | undefined;
}

function redactChange<C extends ChangeText>(c: C): C {
  return {
    ...c,
    title: text(c.title),
    body: optional(c.body),
    author: optional(c.author),
    ...(c.labels ? { labels: list(c.labels) } : {}),
    ...(c.files ? { files: c.files.map((f) => ({ ...f, path: text(f.path) })) } : {}),
  };
}

/**
 * A release candidate with every free-text field redacted. The diffs are left
 * to the diff documents they become (prepareDocument redacts those, after
 * normalising), so a 500 KB diff is scanned once.
 */
export function redactReleaseInput(input: ParsedReleaseInput): ParsedReleaseInput {
  return {
    ...input,
    version: text(input.version),
    environment: text(input.environment),
    flags: list(input.flags),
    commitRange: optional(input.commitRange),
    externalId: optional(input.externalId),
    changes: input.changes.map((c) => ({ ...redactChange(c), id: text(c.id) })),
  };
}

/** A past release (history import, the demo) with every free-text field redacted. */
export function redactHistoryRelease(r: HistoryRelease): HistoryRelease {
  return {
    ...r,
    version: text(r.version),
    environment: optional(r.environment),
    strategy: optional(r.strategy),
    externalId: optional(r.externalId),
    flags: r.flags ? list(r.flags) : r.flags,
    changes: r.changes?.map((c) => ({ ...redactChange(c), externalId: text(c.externalId) })),
  };
}

/** An incident (history import, the demo) with its id, title and severity redacted, and the id of the release that caused it as that release's is stored. */
export function redactHistoryIncident(i: HistoryIncident): HistoryIncident {
  return {
    ...i,
    externalId: text(i.externalId),
    title: text(i.title),
    severity: optional(i.severity),
    causedByRelease: optional(i.causedByRelease),
  };
}
