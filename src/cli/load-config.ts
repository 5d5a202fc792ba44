import { parseConfig, type Config } from '../config.js';
import { AppError } from '../contracts/errors.js';
import { CliError } from './output.js';

/** The environment as a Config; a bad value is a setup error (exit 2) naming the variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  try {
    return parseConfig(env);
  } catch (err) {
    if (err instanceof AppError) throw new CliError(err.message, 2);
    throw err;
  }
}
