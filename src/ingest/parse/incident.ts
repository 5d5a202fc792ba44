import {
  formatDuration,
  formatTime,
  isRecord,
  parseRecords,
  parseTime,
  pick,
  pickText,
  text,
  textList,
  type DocumentDraft,
  type JsonRecord,
  type ParseInput,
  type ParseResult,
} from './common.js';

interface TimelineEntry {
  at?: Date;
  status?: string;
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/** Status pages store updates as HTML fragments; index readable text instead. */
export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return html.trim();
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li[^>]*>/gi, '\n- ')
    .replace(/<\/(?:p|div|li|ul|ol|h\d)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(code) ? String.fromCodePoint(code) : m;
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .split('\n')
    .map((l) => l.replace(/[ \t]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

// "2023-10-05T14:18:13.664Z [investigating] text", one per line (status-page export).
const UPDATE_START = /\n(?=\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z \[)/;
const UPDATE_RE = /^(\d{4}-\d{2}-\d{2}T\S+) \[([^\]]*)\]\s*([\s\S]*)$/;
// Old imported entries hold their own timeline: <li><strong>2010-02-09 07:00:00</strong> - text</li>
const LI_RE = /<li[^>]*>\s*(?:<strong>([^<]*)<\/strong>\s*-?\s*)?([\s\S]*?)<\/li>/gi;

function updatesFromString(s: string): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  for (const raw of s.split(UPDATE_START)) {
    const m = UPDATE_RE.exec(raw.trim());
    if (!m) {
      // Unknown layout: keep the text in order, one entry per paragraph, without a time.
      for (const para of raw.split(/\n[ \t]*\n/)) {
        const t = htmlToText(para);
        if (t) out.push({ text: t });
      }
      continue;
    }
    const at = parseTime(m[1]);
    const status = m[2] || undefined;
    const body = m[3] ?? '';
    const items = [...body.matchAll(LI_RE)].filter((li) => li[1] !== undefined && parseTime(li[1].trim()));
    if (items.length > 0) {
      // The outer time is when the record was imported, not when things happened.
      for (const li of items) out.push({ at: parseTime((li[1] ?? '').trim()), text: htmlToText(li[2] ?? '') });
      continue;
    }
    const t = htmlToText(body);
    if (t) out.push({ at, status, text: t });
  }
  return out;
}

function updatesFromValue(v: unknown): TimelineEntry[] {
  if (typeof v === 'string') return updatesFromString(v);
  if (!Array.isArray(v)) return [];
  return v.flatMap((item): TimelineEntry[] => {
    if (typeof item === 'string') return updatesFromString(item);
    if (!isRecord(item)) return [];
    const body = pickText(item, 'text', 'body', 'message', 'update', 'description');
    if (!body) return [];
    return [
      {
        at: parseTime(pick(item, 'at', 'time', 'timestamp', 'created_at', 'createdAt', 'date', 'display_at')),
        status: pickText(item, 'status'),
        text: htmlToText(body),
      },
    ];
  });
}

/** Time order, stable; an undated entry keeps the time of the one before it. */
function inTimeOrder(entries: TimelineEntry[]): TimelineEntry[] {
  let last = -Infinity;
  const keyed = entries.map((e, i) => {
    if (e.at) last = e.at.getTime();
    return { e, key: last, i };
  });
  return keyed.sort((a, b) => a.key - b.key || a.i - b.i).map((k) => k.e);
}

/** Optional prose fields: "N/A" placeholders are noise, not content. */
function prose(rec: JsonRecord, ...keys: string[]): string | undefined {
  const v = pickText(rec, ...keys);
  return v && !/^(?:n\/?a|none|-)$/i.test(v) ? htmlToText(v) : undefined;
}

function timeField(rec: JsonRecord, keys: string[]): Date | undefined | string {
  const raw = pick(rec, ...keys);
  if (raw === undefined) return undefined;
  return parseTime(raw) ?? `unreadable time ${JSON.stringify(raw)} in ${keys[0]}`;
}

const START_KEYS = ['startedAt', 'started_at', 'start_time', 'startTime', 'created_at', 'createdAt'];
const END_KEYS = ['resolvedAt', 'resolved_at', 'end_time', 'endTime', 'endedAt', 'ended_at'];

/**
 * One incident record → a readable document. Accepts the generic shape
 * ({id,title,severity,service,startedAt,resolvedAt,summary,timeline,rootCause,
 * causedByRelease}) and status-page exports ({id,name,impact,started_at,
 * resolved_at,components,updates}).
 */
function incidentDraft(rec: JsonRecord, fallback: Date): DocumentDraft | string {
  const title = pickText(rec, 'title', 'name');
  if (!title) return 'missing title (or name)';
  const started = timeField(rec, START_KEYS);
  const resolved = timeField(rec, END_KEYS);
  if (typeof started === 'string') return started;
  if (typeof resolved === 'string') return resolved;

  const lines = [`Incident: ${title}`];
  const severity = pickText(rec, 'severity', 'sev');
  const impact = prose(rec, 'impact');
  if (severity) lines.push(`Severity: ${severity}`);
  if (impact && impact !== severity) lines.push(`Impact: ${impact}`);
  const status = pickText(rec, 'status');
  if (status) lines.push(`Status: ${status}`);
  const components = textList(rec['components']);
  if (components.length > 0) lines.push(`Components: ${components.join(', ')}`);
  if (started) lines.push(`Started: ${formatTime(started)}`);
  if (resolved) lines.push(`Resolved: ${formatTime(resolved)}`);
  // Start == resolve is how old imports record "unknown", not a zero-minute outage.
  if (started && resolved && resolved.getTime() > started.getTime()) {
    lines.push(`Duration: ${formatDuration(resolved.getTime() - started.getTime())}`);
  }
  const release = pickText(rec, 'causedByRelease', 'caused_by_release', 'release');
  if (release) lines.push(`Caused by release: ${release}`);

  const sections: [string, string | undefined][] = [
    ['Summary', prose(rec, 'summary', 'description')],
    ['Root cause', prose(rec, 'rootCause', 'root_cause', 'root cause', 'cause')],
    ['Mitigation', prose(rec, 'mitigation', 'resolution')],
    ['Follow-up', prose(rec, 'long-term mitigation', 'followUp', 'follow_up', 'actionItems')],
  ];
  for (const [label, value] of sections) if (value) lines.push('', `${label}:`, value);

  const timeline = inTimeOrder(updatesFromValue(pick(rec, 'timeline', 'updates', 'incident_updates')));
  if (timeline.length > 0) {
    lines.push('', 'Timeline:');
    for (const e of timeline) {
      const when = e.at ? `${formatTime(e.at)} ` : '';
      const status = e.status ? `[${e.status}] ` : '';
      lines.push(`- ${when}${status}${e.text.replace(/\n/g, '\n  ')}`);
    }
  }

  const id = text(pick(rec, 'id', 'key'));
  return {
    title,
    body: lines.join('\n'),
    occurredAt: started ?? resolved ?? fallback,
    ...(id !== undefined ? { externalId: id } : {}),
  };
}

export function parseIncidents(input: ParseInput): ParseResult {
  return parseRecords(input, (rec) => incidentDraft(rec, input.fallbackTime));
}
