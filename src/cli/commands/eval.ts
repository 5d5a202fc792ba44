import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.js';
import { loadEvalConfig, parseDuration, parseSplit, type EvalConfig } from '../../evals/config/load.js';
import { readDataset } from '../../evals/io/read-dataset.js';
import { writeReport } from '../../evals/io/write-report.js';
import { BaselineError, compareRuns, DEFAULT_TOLERANCES, parseBaseline } from '../../evals/regression.js';
import { MODELS, type ModelSpec } from '../../evals/replay/models.js';
import { replay, ReplayError, type ReplayPlan } from '../../evals/replay/replay.js';
import { buildRiskReport, summaryJson } from '../../evals/risk-report.js';
import { parse } from '../args.js';
import { CliError, progress, type Io } from '../output.js';

const USAGE = `usage: shipcheck eval risk --dataset FILE [--split time:0.8 | --online [--retrain-every 30d] [--label-delay 0d]]
                          [--model baseline-la,jit-lr] [--service S] [--threshold P] [--out DIR] [--json] [--baseline prev.json]
       shipcheck eval --config evals/NAME.yaml [--out DIR] [--json]
       shipcheck eval logs --input FILE [--out DIR] [--labels FILE] [--json]   (log templates; eval logs --help)
       shipcheck eval nab --data DIR [--windows FILE] [--profiles FILE] --out OUT   (streaming detector on NAB data; --help for more)
       shipcheck eval canary --scenarios FILE [--out DIR] [--json]   (rollback advice on canary scenarios; --help for more)
       shipcheck eval notes --dataset FILE [--out DIR]               (release-notes drafts against maintainers' notes; --help for more)
       shipcheck eval agreement [--tenant T] [--json]                (people's decisions against the recommendations, judged by outcomes)
  Replays a release history (JSONL or CSV) in time order and reports how good each model's risk would have been.
  Models: ${Object.keys(MODELS).join(', ')}; baseline-la (lines added alone) is always included.
  --baseline compares with an earlier report.json or --json output and exits 1 when a figure regresses past its tolerance,
  2 when the baseline is missing, empty or not an eval summary.`;

/**
 * What holding the riskiest 5/10/20% could catch at best: a perfect ranking holds failures only, so with a
 * failure rate above the budget it catches budget / rate of them. With 38% of releases failing, holding 10%
 * catches at most 26% of the failures, whatever the model.
 */
function gateCeiling(n: number, failures: number): string {
  const at = (percent: number) => pct(failures > 0 ? Math.min(1, Math.ceil((n * percent) / 100) / failures) : null);
  return `gate ceiling (a perfect ranking): ${at(5).trim()} · ${at(10).trim()} · ${at(20).trim()} of the failures at 5/10/20%`;
}

const pct = (v: number | null) => (v === null ? ' n/a ' : (v * 100).toFixed(1).padStart(5) + '%');
const num = (v: number | null) => (v === null ? '  n/a' : v.toFixed(3));

/** A baseline the gate can compare with, or exit 2 with what is wrong and how to write a new one. */
function readBaseline(file: string, tolerances: Record<string, number>) {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`baseline ${file}: ${(err as Error).message}`);
  }
  try {
    return parseBaseline(text, tolerances);
  } catch (err) {
    if (!(err instanceof BaselineError)) throw err;
    throw new CliError(`baseline ${file}: ${err.message}. Write it from a run you trust: shipcheck eval … --json > ${path.basename(file)}`);
  }
}

export async function evalCommand(argv: string[], _config: Config, io: Io): Promise<number> {
  if (argv[0] === 'logs') return (await import('./eval-logs.js')).evalLogsCommand(argv.slice(1), _config, io);
  if (argv[0] === 'nab') return (await import('./eval-nab.js')).evalNabCommand(argv.slice(1), io);
  if (argv[0] === 'canary') return (await import('./eval-canary.js')).evalCanaryCommand(argv.slice(1), _config, io);
  if (argv[0] === 'notes') return (await import('./eval-notes.js')).evalNotesCommand(argv.slice(1), io);
  if (argv[0] === 'agreement') return (await import('./eval-agreement.js')).evalAgreementCommand(argv.slice(1), _config, io);
  const { values, positionals } = parse(
    argv,
    {
      config: { type: 'string' },
      dataset: { type: 'string' },
      split: { type: 'string' },
      online: { type: 'boolean' },
      'retrain-every': { type: 'string' },
      'label-delay': { type: 'string' },
      'min-train': { type: 'string' },
      model: { type: 'string' },
      service: { type: 'string' },
      threshold: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
      baseline: { type: 'string' },
    },
    USAGE,
  );
  if (values.help) return (io.out(USAGE), 0);
  let cfg: EvalConfig;
  try {
    if (values.config) cfg = loadEvalConfig(values.config);
    else {
      if (positionals[0] !== 'risk') throw new CliError(`name what to evaluate (risk) or pass --config\n\n${USAGE}`);
      if (!values.dataset) throw new CliError(`missing --dataset\n\n${USAGE}`);
      cfg = {
        name: path.basename(values.dataset).replace(/\.[^.]+$/, ''),
        kind: 'risk',
        dataset: values.dataset,
        split: values.split ?? 'time:0.8',
        models: values.model ? values.model.split(',').map((m) => m.trim()) : ['baseline-la', 'jit-lr'],
        ...(values.online
          ? {
              online: {
                retrainEvery: values['retrain-every'] ?? '30d',
                labelDelay: values['label-delay'] ?? '0d',
                minTrain: Number(values['min-train'] ?? 50),
              },
            }
          : {}),
      };
    }
  } catch (err) {
    throw err instanceof CliError ? err : new CliError((err as Error).message);
  }
  if (values.threshold !== undefined) cfg.threshold = Number(values.threshold);
  const out = values.out ?? cfg.out;
  const baselineFile = values.baseline ?? cfg.baseline;
  const tolerances = { ...DEFAULT_TOLERANCES, ...(cfg.tolerances ?? {}) };
  // Checked before the eval runs: a gate with a bad baseline stops at once.
  const baseline = baselineFile ? readBaseline(baselineFile, tolerances) : undefined;

  const unknown = cfg.models.filter((m) => !MODELS[m]);
  if (unknown.length) throw new CliError(`unknown model ${unknown.join(', ')}; choose from ${Object.keys(MODELS).join(', ')}`);
  const models: ModelSpec[] = [...new Set(['baseline-la', ...cfg.models])].map((m) => MODELS[m]!);
  let plan: ReplayPlan;
  try {
    plan = cfg.online
      ? {
          kind: 'online',
          retrainEveryMs: parseDuration(cfg.online.retrainEvery),
          labelDelayMs: parseDuration(cfg.online.labelDelay),
          minTrain: cfg.online.minTrain,
        }
      : { kind: 'split', trainShare: parseSplit(cfg.split) };
  } catch (err) {
    throw new CliError((err as Error).message);
  }

  const bar = progress(io, `reading ${path.basename(cfg.dataset)}`);
  let data: Awaited<ReturnType<typeof readDataset>>;
  try {
    data = await readDataset(cfg.dataset, {
      ...((values.service ?? cfg.service) ? { service: (values.service ?? cfg.service)! } : {}),
      onProgress: (b, t) => bar.update(Math.round(b / 1e6), Math.round(t / 1e6)),
    });
  } catch (err) {
    throw new CliError((err as Error).message);
  } finally {
    bar.done();
  }
  for (const e of data.errors.slice(0, 10)) io.err(`  ! line ${e.line}: ${e.message}`);
  if (data.errors.length > 10) io.err(`  … and ${data.errors.length - 10} more bad rows (skipped)`);
  if (data.records.length === 0)
    throw new CliError(`${cfg.dataset}: no usable rows${data.errors.length ? ` (${data.errors.length} bad)` : ''}`, 1);
  const failures = data.records.filter((r) => r.outcome === 'failure').length;
  if (failures === 0 || failures === data.records.length) {
    throw new CliError(
      `${cfg.dataset}: every row has outcome ${failures ? 'failure' : 'success'}; a risk model needs both outcomes to learn and to be scored`,
      1,
    );
  }

  let result: ReturnType<typeof replay>;
  try {
    result = replay(data.records, models, plan);
  } catch (err) {
    if (err instanceof ReplayError) throw new CliError(err.message, 1);
    throw err;
  }
  const split =
    plan.kind === 'split' ? cfg.split : `online: retrain every ${cfg.online!.retrainEvery}, label delay ${cfg.online!.labelDelay}`;
  const notes = data.errors.length ? [`${data.errors.length} bad rows were skipped (see the command output).`] : [];
  const report = buildRiskReport(result, models, {
    title: `Risk eval: ${cfg.name}`,
    dataset: path.basename(cfg.dataset),
    split,
    ...(cfg.threshold !== undefined ? { threshold: cfg.threshold } : {}),
    notes,
  });
  const summary = summaryJson(report);
  if (out) {
    const files = writeReport(out, report, result.predictions);
    if (!values.json) io.err(`wrote ${files.map((f) => path.relative(process.cwd(), f)).join(', ')}`);
  }

  if (values.json) io.out(JSON.stringify(summary));
  else {
    io.out(`${report.title} · ${report.dataset} · ${split}`);
    io.out(`train ${report.n.train} · test ${report.n.test} (${report.n.testFailures} failures)`);
    // Gate capture: the share of failures held when the riskiest 5/10/20% of releases are held.
    io.out('model            AUC   PR AUC  Brier skill   ECE   gate@5%  gate@10%  gate@20%  Popt   F1');
    const base = report.models['baseline-la']?.metrics;
    for (const [name, m] of Object.entries(report.models)) {
      const mm = m.metrics;
      const lift =
        base && name !== 'baseline-la' && mm.auc !== null && base.auc !== null
          ? `  (AUC ${mm.auc >= base.auc ? '+' : ''}${(mm.auc - base.auc).toFixed(3)} vs baseline)`
          : '';
      io.out(
        `${name.padEnd(14)} ${num(mm.auc)}  ${num(mm.prAuc)}  ${num(mm.brierSkill).padStart(9)}  ${num(mm.ece)}  ${pct(mm.gateCapture['5'])}   ${pct(mm.gateCapture['10'])}    ${pct(mm.gateCapture['20'])}   ${num(mm.popt)}  ${num(mm.f1)}${lift}`,
      );
    }
    io.out(gateCeiling(report.n.test, report.n.testFailures));
  }
  // What the report's notes say about the figures (unscored releases, a test set of one outcome) must not hide in report.md.
  for (const note of report.notes) io.err(`note: ${note}`);

  if (baseline) {
    const { regressions, deltas } = compareRuns(summary, baseline, tolerances);
    for (const d of deltas.filter((x) => x.delta !== null && Math.abs(x.delta) > 1e-9)) {
      io.err(
        `  Δ ${d.model} ${d.metric}: ${d.baseline?.toFixed(4)} → ${d.current?.toFixed(4)} (${d.delta! >= 0 ? '+' : ''}${d.delta!.toFixed(4)})`,
      );
    }
    if (regressions.length) {
      for (const r of regressions)
        io.err(
          `  REGRESSION ${r.model} ${r.metric}: ${r.baseline.toFixed(4)} → ${r.current === null ? 'n/a' : r.current.toFixed(4)} (tolerance ${r.tolerance})`,
        );
      return 1;
    }
    io.err(`no regression against ${path.basename(baselineFile!)}`);
  }
  return 0;
}
