import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.js';

describe('configuration', () => {
  it('defaults to embedded PGlite, in-process jobs, hashing embedder and no LLM', () => {
    const c = parseConfig({});
    expect(c.database).toEqual({ kind: 'pglite', dataDir: path.resolve('.shipcheck/db') });
    expect(c.redisUrl).toBeUndefined();
    expect(c.http).toEqual({ host: '127.0.0.1', port: 8787, maxBodyBytes: 10 * 1024 * 1024 });
    expect(c.embedder).toMatchObject({ provider: 'hashing', dimension: 384 });
    expect(c.llm.enabled).toBe(false);
    expect(c.demo).toBe(true);
    expect(c.adminTokenFile).toBe(path.resolve('.shipcheck/admin-token'));
  });

  it('switches to the real engines when their URLs are set, and treats empty values as unset', () => {
    const c = parseConfig({
      DATABASE_URL: 'postgres://u@h:5432/db',
      REDIS_URL: 'redis://127.0.0.1:6379',
      PORT: '',
      SHIPCHECK_DATA_DIR: '/var/lib/sc/db',
    });
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://u@h:5432/db' });
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.http.port).toBe(8787);
    expect(c.adminTokenFile).toBe('/var/lib/sc/admin-token');
  });

  it('names the variable of every bad value', () => {
    const bad = () => parseConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SHIPCHECK_EMBEDDER: 'magic', SHIPCHECK_DEMO: 'maybe' });
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (err) {
      const msg = (err as Error).message;
      for (const name of ['PORT', 'DATABASE_URL', 'SHIPCHECK_EMBEDDER', 'SHIPCHECK_DEMO']) expect(msg).toContain(name);
    }
  });

  it('needs an endpoint for the openai embedder; the LLM layer turns on with one and off with SHIPCHECK_LLM=off', () => {
    expect(() => parseConfig({ SHIPCHECK_EMBEDDER: 'openai' })).toThrow(/OPENAI_BASE_URL/);
    expect(parseConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' }).llm.enabled).toBe(true);
    expect(parseConfig({ OPENAI_API_KEY: 'k', SHIPCHECK_LLM: 'off' }).llm.enabled).toBe(false);
    expect(parseConfig({ SHIPCHECK_DEMO: '0' }).demo).toBe(false);
  });
});
