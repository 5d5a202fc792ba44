import fs from 'node:fs';
import { NabInputError } from '../../evals/nab/read.js';
import { nabReportLines, nabSummary } from '../../evals/nab/report.js';
import { runNab } from '../../evals/nab/run.js';
import { parse } from '../args.js';
import { CliError, type Io, progress } from '../output.js';

export const NAB_USAGE = `usage: shipcheck eval nab --data DIR [--windows FILE] [--profiles FILE] --out OUT [--json]
  Runs the streaming anomaly detector over data in the Numenta Anomaly Benchmark's layout
  (DIR/<folder>/<file>.csv with timestamp,value) and writes OUT/<folder>/<file>.csv with
  timestamp,value,anomaly_score (and label, 1 inside an anomaly window, when --windows is given).
  With --windows (NAB's combined_windows.json) it reports the three NAB scores, overall and per folder,
  with one threshold per profile swept over the whole corpus, beside the published detectors' figures.
  --profiles takes NAB's profiles.json (default: standard, reward_low_FP_rate, reward_low_FN_rate).
  An empty value is a missing point; the detector skips it and scores it 0.`;

/** `shipcheck eval nab`: exit 0 with the figures, 1 for bad input files, 2 for usage. */
export async function evalNabCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(
    argv,
    {
      data: { type: 'string' },
      windows: { type: 'string' },
      profiles: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
    },
    NAB_USAGE,
  );
  if (values.help) return (io.out(NAB_USAGE), 0);
  if (!values.data) throw new CliError(`missing --data\n\n${NAB_USAGE}`);
  if (!values.out) throw new CliError(`missing --out\n\n${NAB_USAGE}`);
  if (!fs.existsSync(values.data) || !fs.statSync(values.data).isDirectory()) {
    throw new CliError(`data directory ${values.data} does not exist (expected DIR/<folder>/<file>.csv)`);
  }
  const bar = progress(io, 'nab files');
  let result: ReturnType<typeof runNab>;
  try {
    result = runNab({
      dataDir: values.data,
      outDir: values.out,
      ...(values.windows ? { windowsFile: values.windows } : {}),
      ...(values.profiles ? { profilesFile: values.profiles } : {}),
      onProgress: (done, total) => bar.update(done, total),
    });
  } catch (err) {
    if (err instanceof NabInputError || err instanceof RangeError) throw new CliError(err.message, 1);
    throw err;
  } finally {
    bar.done();
  }
  if (values.json) io.out(JSON.stringify(nabSummary(result)));
  else {
    io.out(`NAB: ${result.files} files, ${result.rows} rows, detector at ${result.detectorRowsPerSecond} rows/s · scores in ${values.out}`);
    for (const l of nabReportLines(result)) io.out(l);
  }
  return 0;
}
