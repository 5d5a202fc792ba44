import { csvQuote } from '../../contracts/text.js';
import fs from 'node:fs';
import path from 'node:path';
import type { EvalReport } from '../../contracts/evals.js';
import { renderHtml, renderMarkdown } from '../report/index.js';
import type { Prediction } from '../replay/replay.js';

/** report.json, report.md, report.html and predictions.csv, so anyone can recompute every figure. */
export function writeReport(dir: string, report: EvalReport, predictions: readonly Prediction[]): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files: [string, string][] = [
    ['report.json', JSON.stringify(report, null, 2) + '\n'],
    ['report.md', renderMarkdown(report)],
    ['report.html', renderHtml(report)],
  ];
  for (const [name, body] of files) fs.writeFileSync(path.join(dir, name), body);
  const csv = fs.openSync(path.join(dir, 'predictions.csv'), 'w');
  try {
    fs.writeSync(csv, 'id,service,at,model,probability,outcome\n');
    let buf = '';
    for (const p of predictions) {
      buf += `${csvQuote(p.id)},${csvQuote(p.service)},${p.at.toISOString()},${p.model},${p.probability.toFixed(6)},${p.outcome ? 'failure' : 'success'}\n`;
      if (buf.length > 1 << 20) {
        fs.writeSync(csv, buf);
        buf = '';
      }
    }
    fs.writeSync(csv, buf);
  } finally {
    fs.closeSync(csv);
  }
  return [...files.map(([n]) => path.join(dir, n)), path.join(dir, 'predictions.csv')];
}
