import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ChatConfig, chatJson, createChat } from './chat-json.js';

export { parseAnswer } from './chat-json.js';
import type { ReasonInput, ReasonWriter } from '../risk/ports.js';

export const PROMPT_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../prompts/risk-reasons.md');

export interface ReasonPrompt {
  version: string;
  system: string;
  user: string;
}

/** The prompt file: a `version:` line, then `# system` and `# user` sections. */
export function loadReasonPrompt(file = PROMPT_FILE): ReasonPrompt {
  const text = fs.readFileSync(file, 'utf8');
  const version = /^version:\s*(\S+)/m.exec(text)?.[1];
  const system = /^# system\n([\s\S]*?)^# user\n/m.exec(text)?.[1]?.trim();
  const user = /^# user\n([\s\S]*)$/m.exec(text)?.[1]?.trim();
  if (!version || !system || !user) throw new Error(`${file}: needs a "version:" line and "# system" / "# user" sections`);
  return { version, system, user };
}

/** Evidence text cannot close its own block or open a fake one. */
const escapeData = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderReasonPrompt(p: ReasonPrompt, input: ReasonInput): { system: string; user: string } {
  const features =
    input.factors.map((f) => `${f.name} | ${f.value} | ${f.contribution >= 0 ? '+' : ''}${f.contribution}`).join('\n') || '(none)';
  const evidence =
    input.evidence
      .map(
        (e) =>
          `<evidence id="${escapeData(e.id)}" kind="${escapeData(e.kind)}" occurred="${e.occurredAt}" trust="untrusted">\ntitle: ${escapeData(e.title)}\nwhy shown: ${escapeData(e.why)}\n${escapeData(e.snippet)}\n</evidence>`,
      )
      .join('\n') || '(none)';
  const vars: Record<string, string> = {
    service: input.release.service,
    version: input.release.version,
    strategy: input.release.strategy ?? 'unknown',
    percent: String(Math.round(input.probability * 100)),
    level: input.level,
    recommendation: input.recommendation,
    features,
    evidence,
  };
  return { system: p.system, user: p.user.replace(/\{\{(\w+)\}\}/g, (_, k: string) => vars[k] ?? '') };
}

/**
 * Draft reasons from any OpenAI-compatible chat endpoint. The answer is
 * parsed here and validated, verified and bounded by src/risk/reasons.
 */
export function createLlmReasonWriter(cfg: ChatConfig): ReasonWriter {
  const prompt = loadReasonPrompt();
  const chat = createChat(cfg);
  return {
    promptVersion: prompt.version,
    async write(input, signal) {
      const { system, user } = renderReasonPrompt(prompt, input);
      return chatJson(chat, system, user, signal);
    },
  };
}
