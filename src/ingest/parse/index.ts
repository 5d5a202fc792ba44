import { looksBinary } from '../normalise.js';
import { parseChanges } from './change.js';
import type { ParseInput, ParseResult } from './common.js';
import { parseDeployLog } from './deploy-log.js';
import { parseDiff } from './diff.js';
import { parseIncidents } from './incident.js';
import { parseRunbook } from './runbook.js';
import { parseTickets } from './ticket.js';

export type { ParseError, ParseInput, ParseResult } from './common.js';
export { parseTime, readJsonRecords } from './common.js';
export { firstLogTimestamp, LogSegmenter, segmentLogLines, type LogSegment } from './deploy-log.js';
export { commitHeader } from './diff.js';
export { htmlToText } from './incident.js';
export { markdownTitle } from './runbook.js';

/**
 * Turn one artifact file into ingestable documents. Never throws for bad
 * content: every problem comes back in `errors` (with the line of the bad
 * record where there is one) and the good records still come back as documents.
 */
export function parseArtifact(raw: ParseInput): ParseResult {
  // A UTF-8 BOM (Windows editors, some exporters) breaks JSON.parse and titles.
  const input = { ...raw, content: raw.content.replace(/^\uFEFF/, '') };
  if (looksBinary(input.content)) {
    return { documents: [], errors: [{ message: `${input.fileName} looks like a binary file, not text: nothing ingested` }] };
  }
  if (input.content.trim() === '') return { documents: [], errors: [{ message: `${input.fileName} is empty` }] };
  // Reject up front rather than once per record: every record would fail the same way.
  if (!input.service && (input.kind === 'deploy_log' || input.kind === 'runbook' || input.kind === 'diff')) {
    return { documents: [], errors: [{ message: 'no service: pass --service' }] };
  }
  switch (input.kind) {
    case 'deploy_log':
      return parseDeployLog(input);
    case 'incident':
      return parseIncidents(input);
    case 'runbook':
      return parseRunbook(input);
    case 'diff':
      return parseDiff(input);
    case 'change':
      return parseChanges(input);
    case 'ticket':
      return parseTickets(input);
  }
}
