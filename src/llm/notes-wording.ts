import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NotesWording, NotesWordingInput } from '../notes/ports.js';
import { type ChatConfig, chatJson, createChat } from './chat-json.js';
import { loadReasonPrompt, type ReasonPrompt } from './risk-reasons.js';

export const NOTES_PROMPT_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../prompts/release-notes.md');

/** Commit text cannot close its own block or open a fake one. */
const escapeData = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The prompt with the draft's items and the changes they cite as delimited,
 * escaped blocks marked untrusted: commit text is data, never a template
 * (no `{{…}}` in it is expanded: the variables are replaced in one pass).
 */
export function renderNotesPrompt(p: ReasonPrompt, input: NotesWordingInput): { system: string; user: string } {
  const items = input.items
    .map(
      (i) => `<item section="${i.section}" cites="${escapeData(i.changeIds.join(' '))}" trust="untrusted">\n${escapeData(i.text)}\n</item>`,
    )
    .join('\n');
  const changes = input.changes
    .map(
      (c) =>
        `<change id="${escapeData(c.id)}" trust="untrusted">\nsubject: ${escapeData(c.subject)}\n${c.body ? `message:\n${escapeData(c.body)}\n` : ''}${
          c.files.length > 0 ? `files: ${escapeData(c.files.join(', '))}\n` : ''
        }</change>`,
    )
    .join('\n');
  const vars: Record<string, string> = {
    version: escapeData(input.version),
    items: items || '(none)',
    changes: changes || '(none)',
    leftOut: input.leftOut > 0 ? `(${input.leftOut} further items are not shown and keep their wording.)\n` : '',
  };
  return { system: p.system, user: p.user.replace(/\{\{(\w+)\}\}/g, (_, k: string) => vars[k] ?? '') };
}

/**
 * Rewords release-notes items with any OpenAI-compatible chat endpoint;
 * notes/wording.ts verifies every line. Failures (a refusal is an
 * LlmRefusalError) are thrown to it, which names them.
 */
export function createLlmNotesWording(cfg: ChatConfig): NotesWording {
  const prompt = loadReasonPrompt(NOTES_PROMPT_FILE);
  const chat = createChat(cfg);
  return {
    promptVersion: prompt.version,
    async reword(input, signal) {
      const { system, user } = renderNotesPrompt(prompt, input);
      return chatJson(chat, system, user, signal);
    },
  };
}
