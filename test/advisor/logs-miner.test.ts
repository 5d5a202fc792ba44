import { describe, expect, it } from 'vitest';
import { mineTemplates, TemplateMiner, templateId } from '../../src/advisor/logs/index.js';
import { generateLabelledLog, groupingAccuracy, LOG_STYLES } from '../../src/evals/logs/index.js';

const templatesOf = (lines: string[]) => {
  const m = mineTemplates(lines);
  return Array.from(m.lineTemplate, (i) => m.templates[i]!.template);
};

describe('template ids', () => {
  it('are 64-bit FNV-1a of the UTF-8 text: the same on every machine and in every process', () => {
    // Reference values of FNV-1a 64 ("a" and "hello" are the published test vectors).
    expect(templateId('a')).toBe('af63dc4c8601ec8c');
    expect(templateId('hello')).toBe('a430d84680aabd0b');
    expect(templateId('ERROR payment failed for order <*>')).toBe('aa29555dd1a26abb');
  });

  it('give the same template the same id across calls, and different templates different ids', () => {
    const lines = ['ERROR payment failed for order 1', 'INFO order 2 placed', 'ERROR payment failed for order 3'];
    const a = mineTemplates(lines);
    const b = mineTemplates([...lines].reverse());
    const id = (m: typeof a, text: string) => m.templates.find((t) => t.template === text)?.id;
    expect(id(a, 'ERROR payment failed for order <*>')).toBe(templateId('ERROR payment failed for order <*>'));
    expect(id(b, 'ERROR payment failed for order <*>')).toBe(id(a, 'ERROR payment failed for order <*>'));
    expect(new Set(a.templates.map((t) => t.id)).size).toBe(a.templates.length);
  });
});

describe('the Drain-style miner', () => {
  it('generalises a word parameter that no mask catches', () => {
    expect(templatesOf(['user alice logged in from web', 'user bob logged in from web', 'user carol logged in from web'])).toEqual(
      Array(3).fill('user <*> logged in from web'),
    );
  });

  it('keeps apart lines that differ in an outcome word or an HTTP status, however similar the rest', () => {
    const t = templatesOf([
      'payment ok for order 1 in region eu-west',
      'payment failed for order 2 in region eu-west',
      '"GET /pay HTTP/1.1" 200 12',
      '"GET /pay HTTP/1.1" 500 12',
      'charge done result=ok attempt=1',
      'charge done result=refused attempt=2',
    ]);
    expect(new Set(t).size).toBe(6);
  });

  it('keeps levels apart', () => {
    expect(new Set(templatesOf(['INFO cache miss for key a', 'ERROR cache miss for key b'])).size).toBe(2);
  });

  it('groups every line of generated HDFS and Java logs with its true template', () => {
    for (const style of [LOG_STYLES['hdfs']!, LOG_STYLES['java']!]) {
      const lines = generateLabelledLog(style, 600, 3);
      const m = mineTemplates(lines.map((l) => l.line));
      const acc = groupingAccuracy(
        Array.from(m.lineTemplate, (i) => m.templates[i]!.id),
        lines.map((l) => l.label),
      );
      // HDFS is grouped exactly; Java loses only the payment-decline reasons of different lengths.
      expect(acc.accuracy, style.name).toBeGreaterThanOrEqual(style.name === 'hdfs' ? 1 : 0.95);
    }
  });

  it('is deterministic: the same lines give the same templates and assignments', () => {
    const lines = generateLabelledLog(LOG_STYLES['postgres']!, 300, 5).map((l) => l.line);
    const a = mineTemplates(lines);
    const b = mineTemplates(lines);
    expect(b.templates).toEqual(a.templates);
    expect(Array.from(b.lineTemplate)).toEqual(Array.from(a.lineTemplate));
  });

  it('gives blank lines the empty template and counts every line once', () => {
    const m = mineTemplates(['a b c', '', 'a b d', '   ']);
    expect(m.templates.find((t) => t.template === '')?.count).toBe(2);
    expect(m.templates.reduce((s, t) => s + t.count, 0)).toBe(4);
  });
});

describe('bounded memory', () => {
  it('stops remembering templates at the cap: new shapes stay unclustered, known ones still match', () => {
    const miner = new TemplateMiner({ maxTemplates: 2 });
    expect(miner.add('disk full on sda')).toBe(0);
    expect(miner.add('cache warm in 3 s')).toBe(1);
    expect(miner.add('a totally different line shape here')).toBe(-1);
    expect(miner.lastUnclustered).toBe('a totally different line shape here');
    expect(miner.add('disk full on sdb')).toBe(0);
    expect(miner.size).toBe(2);
    expect(miner.unclustered).toBe(1);
  });

  it('mineTemplates gives unclustered lines their own masked template', () => {
    const m = mineTemplates(['alpha one', 'beta two three', 'gamma 4 four five six', 'gamma 5 four five six'], { maxTemplates: 2 });
    expect(m.unclustered).toBe(2);
    expect(m.templates.map((t) => [t.template, t.count])).toEqual([
      ['alpha one', 1],
      ['beta two three', 1],
      ['gamma <*> four five six', 2],
    ]);
  });

  it('sends new first tokens to the <*> child once a node is full, so the tree stays bounded', () => {
    const words = Array.from(
      { length: 60 },
      (_, i) => `w${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}x`,
    );
    const miner = new TemplateMiner({ maxChildren: 4 });
    for (const w of words) expect(miner.add(`${w} finished the nightly job`)).toBeGreaterThanOrEqual(0);
    // 3 named children plus the shared <*> child: the 57 other words end up in one generalised template.
    expect(miner.size).toBe(4);
    expect(miner.template(3)).toBe('<*> finished the nightly job');
  });

  it('refuses options that would make the tree meaningless', () => {
    expect(() => new TemplateMiner({ similarity: 1.5 })).toThrow(RangeError);
    expect(() => new TemplateMiner({ maxChildren: 1 })).toThrow(RangeError);
  });
});

describe('grouping accuracy (Loghub definition)', () => {
  it('counts a line only when its predicted group is exactly its true group', () => {
    expect(groupingAccuracy(['a', 'a', 'b'], ['x', 'x', 'y']).accuracy).toBe(1);
    // Group a is a strict subset of x: both a and b are wrong.
    expect(groupingAccuracy(['a', 'a', 'b', 'b'], ['x', 'x', 'x', 'y']).accuracy).toBe(0);
    // One stray line spoils its whole group, not only itself.
    expect(groupingAccuracy(['a', 'a', 'a', 'c'], ['x', 'x', 'y', 'z'])).toMatchObject({ accuracy: 0.25, correctGroups: 1 });
    expect(() => groupingAccuracy(['a'], [])).toThrow(RangeError);
  });
});
