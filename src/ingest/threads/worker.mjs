// Entry of an ingest worker thread. A worker does not inherit the TypeScript
// loader the main thread runs under (bin/shipcheck.js, vitest, `node --import
// tsx`), so it registers tsx, a runtime dependency, before loading the worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
