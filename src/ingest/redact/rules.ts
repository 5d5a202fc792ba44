import { whenContains } from './detect.js';
import type { Detector } from './types.js';
import { findPairs } from './pairs.js';
import * as p from './patterns.js';
import { findPrivateKeys } from './private-key.js';

export interface Rule {
  /** kebab-case; appears in placeholders `[REDACTED:<id>:<hash>]` and in byRule counts. */
  id: string;
  detect: Detector;
}

/**
 * Every rule, most specific first. Order matters only when findings overlap:
 * they are merged into one placeholder labelled with the earliest rule here,
 * so `password=ghp_…` reports github-token, not password-pair, and a JWT in a
 * Bearer header reports jwt. Documented in docs/redaction.md.
 */
export const RULES: readonly Rule[] = [
  { id: 'private-key', detect: whenContains(['PRIVATE KEY'], findPrivateKeys) },
  { id: 'aws-access-key', detect: p.awsAccessKey },
  { id: 'github-token', detect: p.githubToken },
  { id: 'gitlab-token', detect: p.gitlabToken },
  { id: 'slack-token', detect: p.slackToken },
  { id: 'slack-webhook', detect: p.slackWebhook },
  { id: 'stripe-key', detect: p.stripeKey },
  { id: 'google-api-key', detect: p.googleApiKey },
  { id: 'npm-token', detect: p.npmToken },
  { id: 'pypi-token', detect: p.pypiToken },
  { id: 'anthropic-key', detect: p.anthropicKey },
  { id: 'openai-key', detect: p.openaiKey },
  { id: 'sendgrid-key', detect: p.sendgridKey },
  { id: 'huggingface-token', detect: p.huggingfaceToken },
  { id: 'jwt', detect: p.jwt },
  { id: 'aws-secret-key', detect: p.awsSecretKey },
  { id: 'basic-auth', detect: p.basicAuth },
  { id: 'bearer-token', detect: p.bearerToken },
  { id: 'url-credentials', detect: p.urlCredentials },
  { id: 'connection-string', detect: p.connectionString },
  { id: 'password-pair', detect: (text) => findPairs(text, 'password-pair') },
  { id: 'token-pair', detect: (text) => findPairs(text, 'token-pair') },
];

export const RULE_IDS: readonly string[] = RULES.map((r) => r.id);
