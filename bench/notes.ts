import { createHash } from 'node:crypto';
/**
 * Release-notes figures (`npm run bench -- --only notes`): the pure drafter on
 * synthetic ranges, reading a 5,000-commit git range and the whole
 * `shipcheck notes` command, the notes endpoint over HTTP on a fresh PGlite,
 * learning from 50 approved releases, and `shipcheck eval notes` on the
 * committed Vue core slice. See bench/README.md.
 *
 *   node --import tsx bench/notes.ts [--quick]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildState } from '../bin/build-state.js';
import { createApp } from '../src/app.js';
import { readNotesRange } from '../src/cli/git-notes.js';
import { parseConfig } from '../src/config.js';
import { startServer } from '../src/http/serve.js';
import { createLogger } from '../src/log.js';
import { breakingFindings } from '../src/notes/breaking-diff.js';
import { classify } from '../src/notes/classify.js';
import { draftNotes } from '../src/notes/draft.js';
import { notesLearning } from '../src/notes/learning.js';
import { operationalSection } from '../src/notes/operational.js';
import { renderMarkdown } from '../src/notes/render.js';
import { cancelReverts, groupDuplicates } from '../src/notes/reverts.js';
import { benchRepo, removeBenchRepo } from './notes-git.js';
import { approvedReleases, type SynthMix, synthRange } from './notes-synth.js';
import { int, ms, percentile, ratio, secs, summarize, table, time, type Summary } from './stats.js';

/** The bar the notes figures are read against (no hard target was set): end to end from git, and the endpoint. */
export const NOTES_TARGET = { gitRange5000Ms: 10_000, postNotesP95Ms: 500 };

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const median = (xs: number[]) => percentile(xs, 50);
const OPERATIONAL = { flags: [], rollback: null, risk: null };

export interface DraftFigures {
  changes: number;
  mix: SynthMix;
  items: number;
  omitted: number;
  runs: number;
  draftMs: number;
  renderMs: number;
  /** The draft's parts timed alone on the same range (medians): where the time goes. */
  parts: { classifyMs: number; cancelRevertsMs: number; groupDuplicatesMs: number; operationalMs: number };
}

export interface CommandFigures {
  label: string;
  runs: number;
  medianMs: number;
  minMs: number;
}

export interface NotesFigures {
  drafts: DraftFigures[];
  git: {
    commits: number;
    merges: number;
    buildMs: number;
    changes: number;
    readMs: number;
    readRuns: number;
    runsFrom: 'dist' | 'tsx';
    commands: CommandFigures[];
  };
  http: {
    changes: number;
    /** Change and diff documents the release queued for indexing. */
    queued: number;
    /** The first POST, made while they were being indexed. */
    duringIndexMs: number;
    /** From creating the release until none was queued. */
    indexMs: number;
    posts: number;
    all: Summary;
    first: Summary;
    last: Summary;
    createMs: number;
    /** Timed alone in-process after the POSTs: the whole draft, and three of the reads it makes. */
    parts: { inProcess: Summary; changes: Summary; runbooks: Summary; versions: Summary };
  };
  learning: { releases: number; changesPerRelease: number; firstMs: number; cachedMs: number; selector: string };
  eval: CommandFigures & { exit: number };
  targets: typeof NOTES_TARGET;
}

function timeSync<T>(fn: () => T): { ms: number; value: T } {
  const t = performance.now();
  const value = fn();
  return { ms: performance.now() - t, value };
}

function draftFigures(seed: number, n: number, runs: number): DraftFigures {
  const { changes, mix } = synthRange(seed, n);
  const input = { version: '2.0.0', changes, operational: OPERATIONAL };
  draftNotes(input); // warm-up: JIT and regex compilation
  const drafts: number[] = [];
  const renders: number[] = [];
  let draft = draftNotes(input);
  for (let r = 0; r < runs; r++) {
    const d = timeSync(() => draftNotes(input));
    drafts.push(d.ms);
    draft = d.value;
    renders.push(timeSync(() => renderMarkdown(draft)).ms);
  }
  // The same steps draftNotes takes, each timed alone: classify reads each diff for breaking changes as draftNotes has it do.
  const diffBreaking = (c: (typeof changes)[number]) => breakingFindings(c).map((f) => `${f.detail} (${f.path})`);
  const parts = {
    classifyMs: [] as number[],
    cancelRevertsMs: [] as number[],
    groupDuplicatesMs: [] as number[],
    operationalMs: [] as number[],
  };
  for (let r = 0; r < runs; r++) {
    const classified = timeSync(() => changes.map((c) => classify(c, { keepDependencies: false, breakingFindings: diffBreaking })));
    parts.classifyMs.push(classified.ms);
    const cancelled = timeSync(() => cancelReverts(classified.value));
    parts.cancelRevertsMs.push(cancelled.ms);
    parts.groupDuplicatesMs.push(timeSync(() => groupDuplicates(cancelled.value)).ms);
    parts.operationalMs.push(timeSync(() => operationalSection(changes, undefined, OPERATIONAL)).ms);
  }
  return {
    changes: n,
    mix,
    items: draft.items.length,
    omitted: draft.omitted.length,
    runs,
    draftMs: median(drafts),
    renderMs: median(renders),
    parts: {
      classifyMs: median(parts.classifyMs),
      cancelRevertsMs: median(parts.cancelRevertsMs),
      groupDuplicatesMs: median(parts.groupDuplicatesMs),
      operationalMs: median(parts.operationalMs),
    },
  };
}

/** A child process run `runs` times (stdout to /dev/null); fails on a non-zero exit unless it is expected. */
function timeCommand(label: string, argv: string[], runs: number, okExit = 0): CommandFigures & { exit: number; stderr: string } {
  const times: number[] = [];
  let exit = 0;
  let stderr = '';
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    const res = spawnSync(process.execPath, argv, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    times.push(performance.now() - t);
    exit = res.status ?? -1;
    stderr = res.stderr ?? '';
    if (exit !== okExit) throw new Error(`${label}: exit ${exit}\n${stderr.slice(0, 2000)}`);
  }
  return { label, runs, medianMs: median(times), minMs: Math.min(...times), exit, stderr };
}

export async function httpFigures(seed: number, posts: number): Promise<NotesFigures['http']> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-bench-notes-'));
  const config = parseConfig({ SHIPCHECK_DEMO: '0', SHIPCHECK_LLM: 'off', SHIPCHECK_DATA_DIR: dir, SHIPCHECK_LOG_LEVEL: 'error' });
  const app = await createApp(config, { startWorker: true, logger: createLogger('error') });
  const server = await startServer(app, { port: 0, host: '127.0.0.1' });
  try {
    const { token, tenant: created } = await app.tokens.create({ tenant: 'bench', name: 'bench', scopes: ['ingest', 'score', 'read'] });
    const call = async (method: string, p: string, body?: unknown) => {
      const res = await fetch(server.url + p, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const json = (await res.json()) as { id: string };
      if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json).slice(0, 500)}`);
      return json;
    };
    const { changes } = synthRange(seed, 50, 700);
    const t0 = performance.now();
    const release = await call('POST', '/v1/releases', {
      service: 'checkout',
      version: '2.0.0',
      flags: ['new_checkout'],
      changes: changes.map((c, i) => ({
        id: c.shas[0]!,
        title: c.subject,
        ...(c.body ? { body: c.body } : {}),
        ...(c.author ? { author: c.author } : {}),
        labels: c.labels,
        createdAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
        files: c.files,
        ...(c.patch ? { diff: c.patch } : {}),
      })),
    });
    const createMs = performance.now() - t0;
    // The first draft runs while the worker indexes the release's change and diff documents on the same thread.
    const duringIndex = (await time(() => call('POST', `/v1/releases/${release.id}/notes`, {}))).ms;
    const queued = (release as unknown as { queuedDocuments: number }).queuedDocuments;
    const waitStart = performance.now();
    for (;;) {
      const detail = (await call('GET', `/v1/releases/${release.id}`)) as unknown as { documents: { queued: number } };
      if (detail.documents.queued === 0) break;
      if (performance.now() - waitStart > 120_000) throw new Error('the release documents were still queued after 2 minutes');
      await new Promise((r) => setTimeout(r, 100));
    }
    const indexMs = performance.now() - t0;
    await call('POST', `/v1/releases/${release.id}/notes`, {}); // warm-up, untimed
    const times: number[] = [];
    for (let i = 0; i < posts; i++) {
      const t = performance.now();
      await call('POST', `/v1/releases/${release.id}/notes`, {});
      times.push(performance.now() - t);
    }
    // The endpoint's parts, each timed alone in-process (no HTTP, no auth), as many times as the POSTs.
    const tenant = created.id;
    const parts = { inProcess: [] as number[], changes: [] as number[], runbooks: [] as number[], versions: [] as number[] };
    const rel = (await app.store.notes.source.release(tenant, release.id))!;
    for (let i = 0; i < posts; i++) {
      parts.inProcess.push((await time(() => app.notes.draft(tenant, release.id))).ms);
      parts.changes.push((await time(() => app.store.notes.source.changes(tenant, release.id))).ms);
      parts.runbooks.push(
        (
          await time(() =>
            app.retrieval.search(tenant, {
              q: `roll back ${rel.service} deployment rollback procedure`,
              k: 3,
              kind: 'runbook',
              asOf: new Date().toISOString(),
            }),
          )
        ).ms,
      );
      parts.versions.push((await time(() => app.store.notes.log.listing(tenant, release.id))).ms);
    }
    const q = Math.max(1, Math.floor(posts / 4));
    return {
      parts: {
        inProcess: summarize(parts.inProcess),
        changes: summarize(parts.changes),
        runbooks: summarize(parts.runbooks),
        versions: summarize(parts.versions),
      },
      changes: changes.length,
      queued,
      duringIndexMs: duringIndex,
      indexMs,
      posts,
      all: summarize(times),
      first: summarize(times.slice(0, q)),
      last: summarize(times.slice(-q)),
      createMs,
    };
  } finally {
    await server.close();
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchNotes(
  opts: { seed?: number; quick?: boolean; progress?: (m: string) => void } = {},
  log: (l: string) => void = console.log,
): Promise<NotesFigures> {
  const seed = opts.seed ?? 7;
  const quick = opts.quick ?? false;
  const progress = opts.progress ?? (() => {});
  const runs = quick ? 3 : 5;

  // 1. The pure drafter.
  const drafts: DraftFigures[] = [];
  for (const n of [100, 1000, 5000]) {
    progress(`notes: drafting ${int(n)} synthetic changes × ${runs}`);
    drafts.push(draftFigures(seed, n, n >= 5000 ? Math.min(runs, 3) : runs));
  }
  const big = drafts.at(-1)!;
  log(`Pure drafting: draftNotes on synthetic ranges (bench/notes-synth.ts; median of ${runs} runs, 3 at 5,000, after a warm-up)`);
  log(
    `  the 5,000-change mix: ${pctOf(big.mix.conventional, big.changes)} conventional subjects, ${int(big.mix.reverts)} reverts and ${int(big.mix.cherryPicks)} cherry-picks of changes in the range,`,
  );
  log(
    `  ${int(big.mix.withBody)} bodies, ${int(big.mix.migrations)} new migrations, ${int(big.mix.removedExports)} exports removed from src/index.ts, ${int(big.mix.configChanges)} .env.example changes; every change has a patch or files`,
  );
  log(
    table(
      [
        'changes',
        'items',
        'omitted',
        'draftNotes',
        'per change',
        'renderMarkdown',
        'classify',
        'cancelReverts',
        'groupDuplicates',
        'operational',
      ],
      drafts.map((d) => [
        int(d.changes),
        int(d.items),
        int(d.omitted),
        `${ms(d.draftMs)} ms`,
        `${(d.draftMs / d.changes).toFixed(3)} ms`,
        `${ms(d.renderMs)} ms`,
        `${ms(d.parts.classifyMs)} ms`,
        `${ms(d.parts.cancelRevertsMs)} ms`,
        `${ms(d.parts.groupDuplicatesMs)} ms`,
        `${ms(d.parts.operationalMs)} ms`,
      ]),
    ),
  );
  const small = drafts[0]!;
  log(
    `  per change at 5,000 ÷ per change at 100: ${ratio(big.draftMs / big.changes / (small.draftMs / small.changes))} (1.00× = linear). ` +
      `The last four columns are draftNotes' steps timed alone on the same range.`,
  );
  const mid = drafts[1]!;
  log(
    `  1,000 → 5,000 changes (5×): draftNotes ${ratio(big.draftMs / mid.draftMs, 1)}, classify ${ratio(big.parts.classifyMs / mid.parts.classifyMs, 1)}, ` +
      `cancelReverts ${ratio(big.parts.cancelRevertsMs / mid.parts.cancelRevertsMs, 1)} (each revert is matched against every change of the range: 25× would be quadratic).`,
  );
  log('');

  // 2. A git range.
  progress('notes: writing a 5,000-commit repository with git fast-import');
  const repo = benchRepo(seed, 5000);
  try {
    const readTimes: number[] = [];
    let changes = 0;
    for (let r = 0; r < runs; r++) {
      progress(`notes: readNotesRange v0..main ${r + 1}/${runs}`);
      const t = performance.now();
      const read = await readNotesRange(repo.dir, 'v0', 'main');
      readTimes.push(performance.now() - t);
      changes = read.changes.length;
      if (read.warnings.length) throw new Error(`readNotesRange warned: ${read.warnings.join('; ')}`);
    }
    const state = buildState();
    const runsFrom = state === 'fresh' ? 'dist' : 'tsx';
    const cli = path.join(ROOT, 'bin', 'shipcheck.js');
    const cmdRuns = quick ? 2 : 3;
    progress('notes: child processes (node -e 0, shipcheck --help, shipcheck notes)');
    const floor = timeCommand('node -e 0', ['-e', '0'], cmdRuns);
    const help = timeCommand('shipcheck --help', [cli, '--help'], cmdRuns);
    const notes = timeCommand(
      'shipcheck notes --from v0 --to main --format json',
      [cli, 'notes', '--repo', repo.dir, '--from', 'v0', '--to', 'main', '--format', 'json'],
      cmdRuns,
    );
    const commands = [floor, help, notes];
    const readMs = median(readTimes);
    log(
      `Reading a git range: ${int(repo.commits)} commits in v0..main (${int(repo.merges)} merged PRs), written by git fast-import in ${secs(repo.buildMs)} (not timed below)`,
    );
    log(
      `  readNotesRange (one git log -p -U0 --numstat, parsed as it streams): ${ms(readMs)} ms median of ${runs} → ${int(changes)} changes, ` +
        `${(readMs / repo.commits).toFixed(3)} ms per commit`,
    );
    log(
      `  child processes (median of ${cmdRuns}; bin/shipcheck.js ran ${runsFrom === 'dist' ? 'the compiled dist/' : `the TypeScript sources through tsx (dist/ ${state})`}):`,
    );
    log(
      table(
        ['command', 'median', 'min', '÷ node -e 0', `≤ ${secs(NOTES_TARGET.gitRange5000Ms)}`],
        commands.map((c) => [
          c.label,
          `${ms(c.medianMs)} ms`,
          `${ms(c.minMs)} ms`,
          ratio(c.medianMs / floor.medianMs, 1),
          c === notes ? mark(c.medianMs <= NOTES_TARGET.gitRange5000Ms) : '',
        ]),
      ),
    );
    log(
      `  of the notes command: start-up (shipcheck --help) ${ms(help.medianMs)} ms, readNotesRange in-process ${ms(readMs)} ms, drafting 5,000 synthetic changes ${ms(big.draftMs)} ms.`,
    );
    log('');

    // 3. The service.
    progress('notes: POST /v1/releases/:id/notes on a fresh PGlite');
    const posts = quick ? 10 : 30;
    const http = await httpFigures(seed, posts);
    const f = (x: Summary) => `p50 ${ms(x.p50)} ms, p95 ${ms(x.p95)} ms, max ${ms(x.max)} ms`;
    log(
      `The service: embedded app on a fresh PGlite (in-process jobs, LLM off), one release of ${http.changes} changes with their diffs (POST /v1/releases ${ms(http.createMs)} ms;`,
    );
    log(
      `  its ${http.queued} change and diff documents indexed ${secs(http.indexMs)} after it was sent; a first POST .../notes while they were: ${ms(http.duringIndexMs)} ms, not counted)`,
    );
    log(
      table(
        ['call', 'p50 / p95', 'max', `p95 ≤ ${NOTES_TARGET.postNotesP95Ms} ms`, 'p95 ÷ in-process p95'],
        [
          [
            `POST /v1/releases/:id/notes × ${http.posts} (HTTP, after one untimed)`,
            `${ms(http.all.p50)} / ${ms(http.all.p95)} ms`,
            `${ms(http.all.max)} ms`,
            mark(http.all.p95 <= NOTES_TARGET.postNotesP95Ms),
            ratio(http.all.p95 / http.parts.inProcess.p95),
          ],
          ...(
            [
              ['  the same draft in-process (no HTTP, no auth)', http.parts.inProcess],
              ['  part: reading the changes, diffs and tickets', http.parts.changes],
              ['  part: the rollback runbook search', http.parts.runbooks],
              ['  part: listing the stored versions', http.parts.versions],
            ] as const
          ).map(([label, x]) => [label, `${ms(x.p50)} / ${ms(x.p95)} ms`, `${ms(x.max)} ms`, '', '']),
        ],
      ),
    );
    log(
      `  over HTTP, first quarter ${f(http.first)}; last quarter ${f(http.last)} (each POST stores a version, ${http.posts + 1} at the end: last/first p50 ${ratio(http.last.p50 / http.first.p50)}).`,
    );
    log(
      `  Parts are timed alone, ${http.posts} times each, after the POSTs; the draft also reads the release, the risk assessment and the latest version, and stores one.`,
    );

    progress('notes: notesLearning().prepare on 50 approved releases');
    const perRelease = 40;
    const earlier = approvedReleases(seed, 50, perRelease);
    // As app.ts builds it: the cache is keyed by a sha256 of what learning reads.
    const learning = notesLearning({ fingerprint: (text) => createHash('sha256').update(text).digest('hex') });
    const first = timeSync(() => learning.prepare(earlier));
    const cached = timeSync(() => learning.prepare(earlier));
    if (cached.value !== first.value) throw new Error('notesLearning: the second prepare was not served from its cache');
    const selector = first.value.selector ? `${first.value.selector.kind} (${first.value.selector.detail})` : 'rules (no model)';
    log(
      `  notesLearning().prepare on 50 approved releases of ${perRelease} synthetic changes: first call ${ms(first.ms)} ms, cached call ${ms(cached.ms)} ms ` +
        `(${ratio(first.ms / cached.ms, 0)}); selection: ${selector}`,
    );
    log('');

    // 4. The eval.
    progress('notes: shipcheck eval notes on the Vue core slice');
    const dataset = 'fixtures/notes/vue-core-slice.jsonl';
    const evalRun = timeCommand(`shipcheck eval notes --dataset ${dataset}`, [cli, 'eval', 'notes', '--dataset', dataset], cmdRuns);
    log(
      `The eval: shipcheck eval notes --dataset ${dataset} (${countLines(path.join(ROOT, dataset))} releases): median ${ms(evalRun.medianMs)} ms of ${cmdRuns}, ` +
        `${ratio(evalRun.medianMs / floor.medianMs, 1)} node -e 0, ${ratio(evalRun.medianMs / help.medianMs, 1)} shipcheck --help`,
    );
    log('');

    return {
      drafts,
      git: {
        commits: repo.commits,
        merges: repo.merges,
        buildMs: repo.buildMs,
        changes,
        readMs,
        readRuns: runs,
        runsFrom,
        commands: commands.map(strip),
      },
      http,
      learning: { releases: earlier.length, changesPerRelease: perRelease, firstMs: first.ms, cachedMs: cached.ms, selector },
      eval: { ...strip(evalRun), exit: evalRun.exit },
      targets: NOTES_TARGET,
    };
  } finally {
    removeBenchRepo(repo);
  }
}

const mark = (ok: boolean) => (ok ? 'ok' : 'MISS');
const pctOf = (n: number, of: number) => `${Math.round((100 * n) / of)}%`;
const strip = ({ label, runs, medianMs, minMs }: CommandFigures): CommandFigures => ({ label, runs, medianMs, minMs });
const countLines = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim()).length;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
  await benchNotes({ quick: values.quick, progress: (m) => console.error(m) });
}
