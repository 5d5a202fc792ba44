import { baseName, finishDocument, type ParseInput, type ParseResult } from './common.js';

/** First level-1 ATX heading outside code fences (a "# comment" in a bash fence is not a title). */
export function markdownTitle(markdown: string): string | undefined {
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (f) {
      if (!fence) fence = f;
      else if (f[0] === fence[0] && f.length >= fence.length) fence = undefined;
      continue;
    }
    if (fence) continue;
    const h = /^ {0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (h?.[1]) return h[1].trim();
  }
  return undefined;
}

/** A runbook is one Markdown document; chunking splits it by headings later. */
export function parseRunbook(input: ParseInput): ParseResult {
  if (input.content.trim() === '') return { documents: [], errors: [{ message: 'empty file' }] };
  const title = markdownTitle(input.content) ?? baseName(input.fileName);
  const doc = finishDocument(input, { title, body: input.content, occurredAt: input.fallbackTime });
  return typeof doc === 'string' ? { documents: [], errors: [{ message: doc }] } : { documents: [doc], errors: [] };
}
