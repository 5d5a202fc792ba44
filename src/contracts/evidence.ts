import { z } from 'zod';

/**
 * Evidence ids: what an answer cites, and what `GET /v1/evidence/:id` opens.
 * A bare UUID is a chunk of an ingested document; the others name their kind:
 * `release:<uuid>`, `change:<uuid>` (a commit or PR as stored), `incident:<uuid>`
 * (an incident record without an ingested document), `window:<uuid>` (the
 * metric windows an advisory judged), `logsig:<uuid>` (a log template an
 * advisory found new or more frequent in the canary), and the recommendations
 * people's decisions answer, as the audit log names them: `assessment:<uuid>`
 * (a risk assessment as it was) and `advisory:<uuid>` (an advisory as it was).
 */
export const EVIDENCE_KINDS = ['chunk', 'release', 'change', 'incident', 'window', 'logsig', 'assessment', 'advisory'] as const;
export type EvidenceRefKind = (typeof EVIDENCE_KINDS)[number];

export interface EvidenceRef {
  kind: EvidenceRefKind;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const evidenceId = {
  chunk: (id: string) => id,
  release: (id: string) => `release:${id}`,
  change: (id: string) => `change:${id}`,
  incident: (id: string) => `incident:${id}`,
  window: (id: string) => `window:${id}`,
  logsig: (id: string) => `logsig:${id}`,
  assessment: (id: string) => `assessment:${id}`,
  advisory: (id: string) => `advisory:${id}`,
};

/** The reference an evidence id names, or undefined when it is not one shipcheck makes. */
export function parseEvidenceId(raw: string): EvidenceRef | undefined {
  if (UUID.test(raw)) return { kind: 'chunk', id: raw.toLowerCase() };
  const colon = raw.indexOf(':');
  if (colon < 0) return undefined;
  const kind = raw.slice(0, colon);
  const id = raw.slice(colon + 1);
  if (!(EVIDENCE_KINDS as readonly string[]).includes(kind) || kind === 'chunk' || !UUID.test(id)) return undefined;
  return { kind: kind as EvidenceRefKind, id: id.toLowerCase() };
}

/** What `GET /v1/evidence/:id` answers: the cited record, its text, its document and where to read more. */
export const EvidenceView = z.object({
  id: z.string(),
  kind: z.enum(EVIDENCE_KINDS),
  title: z.string(),
  /** The chunk's text, or a readable summary of the record (a release's changes, a change's files). */
  text: z.string(),
  occurredAt: z.string(),
  service: z.string(),
  document: z
    .object({ id: z.string(), kind: z.string(), title: z.string(), source: z.string().nullable(), externalId: z.string().nullable() })
    .nullable(),
  /** API path that shows more: the whole document, or the release. */
  link: z.string(),
});
export type EvidenceView = z.infer<typeof EvidenceView>;
