import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReasonWording, WordingInput } from '../advisor/ports.js';
import { type ChatConfig, chatJson, createChat } from './chat-json.js';
import { loadReasonPrompt, type ReasonPrompt } from './risk-reasons.js';

export const ADVISOR_PROMPT_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../prompts/advisor-reasons.md');

/** Findings cannot close their own block or open a fake one. */
const escapeData = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderAdvisorPrompt(p: ReasonPrompt, input: WordingInput): { system: string; user: string } {
  const findings = [
    ...input.reasons
      .slice(0, -1)
      .map((r) => `<finding cites="${escapeData(r.citations.join(' '))}" trust="untrusted">\n${escapeData(r.text)}\n</finding>`),
    ...input.evidence
      .filter((e) => e.kind === 'incident' || e.kind === 'runbook' || e.kind === 'log_template')
      .map(
        (e) =>
          `<finding cites="${escapeData(e.id)}" kind="${e.kind}" trust="untrusted">\n${escapeData(e.title)}\n${escapeData(e.snippet)}\n</finding>`,
      ),
  ];
  const vars: Record<string, string> = {
    service: input.release.service,
    version: input.release.version,
    action: input.action,
    confidence: input.confidence.toFixed(2),
    findings: findings.join('\n') || '(none)',
  };
  return { system: p.system, user: p.user.replace(/\{\{(\w+)\}\}/g, (_, k: string) => vars[k] ?? '') };
}

/** Words an advisory's reasons with any OpenAI-compatible chat endpoint; advisor/wording.ts verifies the answer. */
export function createLlmAdvisorWording(cfg: ChatConfig): ReasonWording {
  const prompt = loadReasonPrompt(ADVISOR_PROMPT_FILE);
  const chat = createChat(cfg);
  return {
    promptVersion: prompt.version,
    async word(input, signal) {
      const { system, user } = renderAdvisorPrompt(prompt, input);
      return chatJson(chat, system, user, signal);
    },
  };
}
