#!/usr/bin/env node
// Runs the TypeScript sources through tsx: no build step to forget.
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

register();
const here = path.dirname(fileURLToPath(import.meta.url));
const { main } = await import(pathToFileURL(path.join(here, '../src/cli/main.ts')).href);
process.exit(await main(process.argv.slice(2), process.env));
