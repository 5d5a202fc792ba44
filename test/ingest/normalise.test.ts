import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { looksBinary, normaliseBody } from '../../src/ingest/normalise.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/artifacts/${name}`, import.meta.url), 'utf8');

/** Deterministic "random" bytes (mulberry32), so a failure reproduces. */
function randomBytes(n: number, seed = 42): Buffer {
  let a = seed;
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

describe('normaliseBody', () => {
  it('unifies newlines, strips ANSI and control chars, keeps tabs', () => {
    const raw = 'one\r\ntwo\rthree\n\x1b[31mred\x1b[0m and \x1b]0;title\x07plain\nnul\x00here\x07\tkept';
    expect(normaliseBody('incident', raw)).toBe('one\ntwo\nthree\nred and plain\nnulhere\tkept');
  });

  it('trims trailing whitespace and collapses 3+ blank lines to 2', () => {
    const raw = '\n\na  \t\nb\n\n\n\n\n\nc\n\n\nd   \n\n\n';
    expect(normaliseBody('runbook', raw)).toBe('a\nb\n\n\nc\n\n\nd');
  });

  it('renders JSON-lines deploy logs as readable lines and leaves other lines alone', () => {
    const lines = normaliseBody('deploy_log', fixture('deploy-json.log')).split('\n');
    expect(lines[0]).toBe('2024-06-10T06:13:20.000Z INFO deploy started service=payments version=v2.14.0 deployId=d-7f3a9c21');
    expect(lines).toContain('==> kubectl rollout status deployment/payments');
    // String level upper-cased, ts kept as written, nested objects as compact JSON.
    expect(lines).toContain('2024-06-10T06:14:00Z WARN readiness probe slow probe={"path":"/ready","ms":950}');
    const failure = lines.find((l) => l.includes('charge failed'));
    expect(failure).toMatch(/^2024-06-10T06:14:00\.000Z ERROR charge failed err=\{"type":"TimeoutError",/);
    expect(failure).toContain('orderId=9b2e4c1d-0d5f-4a8e-9f8e-3c2b1a0d9e8f');
    expect(lines.some((l) => l.includes('{"level"'))).toBe(false);
  });

  it('quotes string values with spaces and keeps multi-line messages on one line', () => {
    const raw = [
      '{"time":"2024-01-01T00:00:00Z","severity":"error","message":"boom\\n  at f()","user":"Ann Lee","n":3,"ok":true}',
      '{"time":"2024-01-01T00:00:01Z","lvl":"info","msg":"ok"}',
    ].join('\n');
    expect(normaliseBody('deploy_log', raw)).toBe(
      '2024-01-01T00:00:00Z ERROR boom\\n  at f() user="Ann Lee" n=3 ok=true\n2024-01-01T00:00:01Z INFO ok',
    );
  });

  it('does not reformat a plain log that merely contains a JSON line', () => {
    const raw = 'starting\n{"a":1}\nstep two\nstep three';
    expect(normaliseBody('deploy_log', raw)).toBe(raw);
  });

  it('renders JSON lines only for deploy logs', () => {
    const raw = '{"msg":"x","level":"info"}\n{"msg":"y","level":"info"}';
    expect(normaliseBody('ticket', raw)).toBe(raw);
  });
});

describe('looksBinary', () => {
  it('flags random bytes decoded as UTF-8', () => {
    expect(looksBinary(randomBytes(20_000).toString('utf8'))).toBe(true);
  });

  it('flags UTF-16 text read as UTF-8 (every other char is NUL)', () => {
    expect(looksBinary(Buffer.from('hello world, this is a log line\n'.repeat(50), 'utf16le').toString('utf8'))).toBe(true);
  });

  it('accepts real text, including colourised logs and non-ASCII prose', () => {
    for (const name of ['deploy-json.log', 'deploy-plain.log', 'release-2.14.patch', 'payments-runbook.md', 'incidents.jsonl']) {
      expect(looksBinary(fixture(name)), name).toBe(false);
    }
    expect(looksBinary('\x1b[32mOK\x1b[0m deploy\n'.repeat(100))).toBe(false);
    expect(looksBinary('Störung behoben — 修正済み ✅\n'.repeat(100))).toBe(false);
    expect(looksBinary('')).toBe(false);
  });

  it('tolerates a few stray replacement chars (under 10%)', () => {
    expect(looksBinary(`${'a'.repeat(95)}${'\ufffd'.repeat(5)}`)).toBe(false);
    expect(looksBinary(`${'a'.repeat(85)}${'\ufffd'.repeat(15)}`)).toBe(true);
  });
});
