/**
 * What a webhook receives when the recommended action changes: a plain JSON
 * payload, or a Slack-compatible one (`text` plus blocks). Both carry the
 * link to read the advisory and how to acknowledge it. Pure.
 */
import type { Advisory, AdvisorAction, DecisionAction } from '../contracts/advisor.js';
import { ACTION_WORDS } from './describe.js';
import type { AdvisorRelease } from './ports.js';

export interface NotificationInput {
  release: AdvisorRelease;
  advisory: Advisory;
  previousAction: AdvisorAction | null;
  /** The service's public address (SHIPCHECK_PUBLIC_URL), for the links. */
  baseUrl: string;
}

/** The decision that acknowledges an advisory by agreeing with it (a person may send any other). */
export const AGREE: Record<AdvisorAction, DecisionAction> = {
  continue: 'continue',
  halt: 'halt',
  rollback: 'rollback',
  promote: 'promote',
  insufficient_data: 'halt',
  needs_human: 'halt',
};

const links = (n: NotificationInput) => {
  const base = n.baseUrl.replace(/\/+$/, '');
  return {
    advice: `${base}/v1/releases/${n.release.id}/advice`,
    acknowledge: `${base}/v1/releases/${n.release.id}/decisions`,
    evidence: `${base}/v1/evidence/`,
  };
};

export function jsonPayload(n: NotificationInput) {
  const l = links(n);
  return {
    event: 'advisory.action_changed',
    release: { id: n.release.id, service: n.release.service, version: n.release.version },
    advisory: { id: n.advisory.id, sequence: n.advisory.sequence, createdAt: n.advisory.createdAt, phase: n.advisory.phase },
    action: n.advisory.action,
    previousAction: n.previousAction,
    confidence: n.advisory.confidence,
    requiresAcknowledgement: n.advisory.requiresAcknowledgement,
    reasons: n.advisory.reasons.map((r) => r.text),
    links: {
      advice: l.advice,
      // A decision is a POST with a token that has the `approve` scope: the payload says exactly what to send.
      acknowledge: {
        method: 'POST',
        url: l.acknowledge,
        body: { action: AGREE[n.advisory.action], reason: '…', advisoryId: n.advisory.id },
      },
    },
  };
}

export function slackPayload(n: NotificationInput) {
  const l = links(n);
  const head = `shipcheck: ${n.release.service} ${n.release.version}: ${ACTION_WORDS[n.advisory.action]}${n.previousAction ? ` (was: ${n.previousAction.replaceAll('_', ' ')})` : ''}`;
  const reasons = n.advisory.reasons
    .slice(0, 6)
    .map((r) => `• ${r.text}`)
    .join('\n');
  return {
    text: head,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${escapeSlack(head)}*` } },
      { type: 'section', text: { type: 'mrkdwn', text: escapeSlack(reasons).slice(0, 2900) } },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `<${l.advice}|Open the advisory> · acknowledge: POST ${l.acknowledge} {"action", "reason", "advisoryId": "${n.advisory.id}"}`,
          },
        ],
      },
    ],
  };
}

/** Slack reads `&`, `<` and `>` as markup: text from logs must not become links or mentions. */
const escapeSlack = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
