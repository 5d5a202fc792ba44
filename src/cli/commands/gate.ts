import type { Config } from '../../config.js';
import type { ReleaseInput } from '../../contracts/risk.js';
import { parse, required } from '../args.js';
import { AppError } from '../../contracts/errors.js';
import { apiClient, ServerError } from '../client.js';
import { type FailOn, type GatedAssessment, gateSummary, isFailOn, verdictOf } from '../gate-summary.js';
import { readGitRange } from '../git.js';
import { CliError, type Io } from '../output.js';
import { releaseFromCommits } from '../release-from-git.js';

const USAGE = `usage: shipcheck gate --service S --version V [--from REF --to REF] [--repo DIR]
                      [--strategy canary|blue_green|rolling|flag] [--environment E]
                      [--fail-on low|medium|high|critical] [--server URL --token T | --tenant T]
                      [--fail-open | --fail-closed] [--timeout-ms N] [--json]
  Scores a release candidate before promotion. The release is built from the local git range
  FROM..TO (numstat, messages, authors), registered (idempotent on service + version) and assessed,
  by a running server (--server / SHIPCHECK_SERVER) or in-process on the embedded database.
  Exit codes: 0 pass; 1 held (the release policy does not allow promotion yet: approvals missing,
  a freeze, a hold, a rejection; or the level reaches an explicit --fail-on);
  2 error. --fail-open turns an outage (server unreachable, no answer within --timeout-ms, a 5xx
  answer) into exit 0 with a WARNING. Everything else exits 2 even with --fail-open, because it
  will not fix itself: a rejected token (401/403), a bad request, a conflict, a git failure, a usage
  error. --fail-closed (default) keeps 2 for outages too.`;

const STRATEGIES = ['canary', 'blue_green', 'rolling', 'flag'];

export async function gateCommand(argv: string[], config: Config, io: Io): Promise<number> {
  const { values } = parse(
    argv,
    {
      service: { type: 'string' },
      version: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      repo: { type: 'string' },
      strategy: { type: 'string' },
      environment: { type: 'string' },
      'fail-on': { type: 'string' },
      server: { type: 'string' },
      token: { type: 'string' },
      tenant: { type: 'string' },
      'fail-open': { type: 'boolean' },
      'fail-closed': { type: 'boolean' },
      'timeout-ms': { type: 'string' },
      json: { type: 'boolean' },
    },
    USAGE,
  );
  if (values.help) return (io.out(USAGE), 0);
  // Usage errors: always exit 2, whatever --fail-open says (a misconfigured gate must be noticed).
  const service = required(values.service, '--service', USAGE);
  const version = required(values.version, '--version', USAGE);
  const failOn = values['fail-on'];
  if (failOn !== undefined && !isFailOn(failOn))
    throw new CliError(`--fail-on: one of low, medium, high, critical (got ${failOn})\n\n${USAGE}`);
  if (values['fail-open'] && values['fail-closed']) throw new CliError(`--fail-open and --fail-closed exclude each other\n\n${USAGE}`);
  if (values.strategy && !STRATEGIES.includes(values.strategy))
    throw new CliError(`--strategy: one of ${STRATEGIES.join(', ')}\n\n${USAGE}`);
  if (Boolean(values.from) !== Boolean(values.to)) throw new CliError(`--from and --to go together\n\n${USAGE}`);
  const timeoutMs = values['timeout-ms'] ? Number(values['timeout-ms']) : 120_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new CliError(`--timeout-ms: a positive integer\n\n${USAGE}`);
  const server = values.server ?? config.client.server;
  const token = values.token ?? config.client.token;
  if (server && !token) throw new CliError('--server needs a token: pass --token or set SHIPCHECK_TOKEN');

  let assessment: GatedAssessment;
  try {
    assessment = await withTimeout(timeoutMs, async () => {
      const release = await buildRelease({ ...values, service, version }, io);
      return server ? viaServer(server, token!, release) : embedded(config, values.tenant ?? 'default', release, io);
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const json = (exit: number) => values.json && io.out(JSON.stringify({ gate: { exit, verdict: 'error', error: message } }));
    if (values['fail-open'] && isOutage(err)) {
      io.err(`WARNING: shipcheck gate failed open (exit 0) because it could not assess ${service} ${version}: ${message}`);
      json(0);
      return 0;
    }
    json(2);
    // A release registered before with other content is a mistake to fix, not an outage.
    if (isConflict(err))
      throw new CliError(`${message}\n(the gate does not fail open on a conflict: give this build its own --version)`, 2);
    if (values['fail-open']) throw new CliError(`${message}\n(the gate fails open only on an outage: this needs fixing)`, 2);
    throw err instanceof CliError ? err : new CliError(message, 2);
  }
  const verdict = verdictOf(assessment, failOn as FailOn | undefined);
  const exit = verdict === 'held' ? 1 : 0;
  if (values.json) io.out(JSON.stringify({ ...assessment, gate: { exit, verdict } }, null, 2));
  else
    for (const line of gateSummary(assessment, verdict, { failOn: failOn as FailOn | undefined, ...(server ? { server } : {}) }))
      io.out(line);
  return exit;
}

async function buildRelease(
  v: { service: string; version: string; from?: string; to?: string; repo?: string; strategy?: string; environment?: string },
  io: Io,
): Promise<ReleaseInput> {
  const range = v.from && v.to ? `${v.from}..${v.to}` : undefined;
  if (!range) io.err('note: no --from/--to range, so the release has no changes; the score rests on its context only');
  const commits = range ? await readGitRange(v.repo ?? '.', range) : [];
  if (range && commits.length === 0) io.err(`note: ${range} holds no commits`);
  return releaseFromCommits(commits, {
    service: v.service,
    version: v.version,
    ...(v.environment ? { environment: v.environment } : {}),
    ...(v.strategy ? { strategy: v.strategy } : {}),
    ...(range ? { commitRange: range } : {}),
  });
}

async function viaServer(server: string, token: string, release: ReleaseInput): Promise<GatedAssessment> {
  const call = apiClient(server, token);
  const created = await call<{ id: string }>('POST', '/v1/releases', release);
  return call<GatedAssessment>('POST', `/v1/releases/${created.id}/risk`);
}

/** The same services the API uses, in-process (loaded only here: a gate that talks to a server starts faster without them). */
async function embedded(config: Config, tenantSlug: string, release: ReleaseInput, io: Io): Promise<GatedAssessment> {
  const { withTenant } = await import('../open.js');
  return withTenant(config, tenantSlug, io, async (app, tenantId) => {
    const created = await app.releases.create(tenantId, release);
    const assessment = await app.risk.assess(tenantId, created.id);
    return { ...assessment, policy: await app.governance.verdict(tenantId, created.id) };
  });
}

/**
 * What --fail-open may turn into exit 0: an outage that is not the caller's to fix and may pass. The server
 * unreachable or answering 5xx, no answer in time, the embedded database unreachable, or an unexpected
 * failure (what a server would answer 500). A refused token, a bad request, a conflict or a git failure is
 * a 4xx kind of error: failing open on it would turn the gate off for good without anyone noticing.
 */
function isOutage(err: unknown): boolean {
  if (err instanceof ServerError) return err.httpStatus >= 500;
  if (err instanceof AppError) return err.code === 'unavailable' && err.retryable;
  return true;
}

const CONFLICTS = ['release_conflict', 'change_conflict'];
/** A conflict from the server (a ServerError carries its code) or from the embedded store: the same check. */
function isConflict(err: unknown): boolean {
  return err instanceof AppError && CONFLICTS.includes(err.code);
}

async function withTimeout<T>(ms: number, run: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      run(),
      new Promise<never>(
        (_, reject) => (timer = setTimeout(() => reject(new CliError(`no assessment within ${ms} ms`, 2, 'unavailable')), ms)),
      ),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
