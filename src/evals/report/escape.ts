/**
 * Escaping for every string that comes from data (dataset, service and model
 * names, notes): reports are built as strings, so nothing from data may reach
 * the output without passing through one of these.
 */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe in HTML/SVG text and in quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * Safe inside a GitHub-markdown table cell or list item: pipes cannot split
 * the cell, inline markup renders as the literal text, raw HTML cannot form
 * (<, > and & become entities, which GitHub shows as the characters) and a
 * newline cannot end the row.
 */
export function escapeMarkdown(value: unknown): string {
  return String(value)
    .replace(/\r\n?|\n/g, ' ')
    .replace(/[\\`*_[\]|#~]/g, (c) => `\\${c}`)
    .replace(/[&<>]/g, (c) => HTML_ESCAPES[c] ?? c);
}
