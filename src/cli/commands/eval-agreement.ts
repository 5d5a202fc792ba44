import fs from 'node:fs';
import type { Config } from '../../config.js';
import { type AgreementRow, agreementMarkdown, agreementWithPeople } from '../../evals/agreement/index.js';
import { parse } from '../args.js';
import { withTenant } from '../open.js';
import { CliError, type Io } from '../output.js';

const USAGE = `usage: shipcheck eval agreement [--tenant T] [--out FILE.md] [--json]
  Agreement with people: every approval, rejection and rollout decision recorded in the tenant, beside
  the recommendation it answered (the assessment's, or the advisory's action) and how the release ended.
  Reports how often people and shipcheck agreed (stop vs go), and for each disagreement whose outcome
  is known, who the outcome proved right. Acknowledgements are not decisions; notes approvals are left out.`;

export async function evalAgreementCommand(argv: string[], config: Config, io: Io): Promise<number> {
  const { values, positionals } = parse(argv, { tenant: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } }, USAGE);
  if (values.help) return (io.out(USAGE), 0);
  if (positionals.length) throw new CliError(`unexpected arguments: ${positionals.join(' ')}\n\n${USAGE}`);
  const labels = await withTenant(config, values.tenant, io, (app, tenantId) => app.governance.decisionLabels(tenantId), {
    localOnly: 'eval agreement',
  });
  // A decision with no recommendation on record (no advisory, no assessment) has nothing to agree with: counted, not guessed.
  const rows = labels.filter((l) => l.recommended !== null) as unknown as AgreementRow[];
  const left = labels.length - rows.length;
  if (left > 0) io.err(`${left} decision${left === 1 ? '' : 's'} answered no recorded recommendation (left out)`);
  const report = agreementWithPeople(rows);
  if (values.json) io.out(JSON.stringify(report, null, 2));
  else io.out(agreementMarkdown(report));
  if (values.out) {
    fs.writeFileSync(values.out, agreementMarkdown(report));
    io.err(`wrote ${values.out}`);
  }
  return 0;
}
