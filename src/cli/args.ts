import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './output.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs with our error shape: an unknown flag is a usage error (exit 2). */
export function parse<O extends Options>(argv: string[], options: O, usage: string) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n\n${usage}`);
  }
}

export function required(value: string | undefined, flag: string, usage: string): string {
  if (!value) throw new CliError(`missing ${flag}\n\n${usage}`);
  return value;
}
