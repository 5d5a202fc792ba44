import { createApp, type App } from '../app.js';
import { ConfigError, parseConfig, type Config } from '../config.js';
import { createLogger } from '../log.js';
import { DataDirLockedError, EmbedderMismatchError } from '../store/index.js';
import { CliError } from './output.js';

export function loadConfig(env: Record<string, string | undefined>): Config {
  try {
    return parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, 2);
    throw err;
  }
}

/** Opens the app for a command, turning the expected start-up failures into plain messages. */
export async function openApp(config: Config, opts: { startWorker: boolean }): Promise<App> {
  try {
    return await createApp(config, { startWorker: opts.startWorker, logger: quietUnless(config) });
  } catch (err) {
    if (err instanceof DataDirLockedError || err instanceof EmbedderMismatchError) throw new CliError(err.message, 2);
    if (err instanceof Error && /ECONNREFUSED|ENOTFOUND|password authentication|does not exist/.test(err.message)) {
      throw new CliError(`cannot open the database: ${err.message}`, 2);
    }
    throw err;
  }
}

/** One-shot commands log warnings only, so their own output stays readable. */
function quietUnless(config: Config) {
  return createLogger(config.logLevel === 'debug' ? 'debug' : 'warn');
}
