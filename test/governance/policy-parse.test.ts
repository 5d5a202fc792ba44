import { describe, expect, it } from 'vitest';
import { PolicyDocument } from '../../src/contracts/governance.js';
import {
  DEFAULT_POLICY,
  type PolicyInvalidError,
  parsePolicyDocument,
  parsePolicyYaml,
  policyToYaml,
} from '../../src/governance/policy/parse.js';

function problemsOf(fn: () => unknown): { path: string; line: number | null; message: string }[] {
  try {
    fn();
  } catch (err) {
    const e = err as PolicyInvalidError;
    expect(e.code).toBe('validation_failed');
    expect(e.status).toBe(400);
    expect((e.details as { problems: unknown }).problems).toEqual(e.problems);
    return e.problems;
  }
  throw new Error('expected the policy to be refused');
}

const FULL = `service: payments
owners: [alice, bob]
approvals:
  low: none
  medium: one
  high: two_with_owner
  critical: hold
budget:
  riskiest: 10%
selfApproval: forbidden
timezone: Europe/Berlin
freezes:
  - name: year-end
    from: 2026-12-20T00:00:00Z
    to: 2027-01-04T00:00:00+01:00
  - name: weekend-nights
    every: [fri, sat]
    start: "22:00"
    end: "06:00"
    effect: needs_approval
offHours:
  start: "08:00"
  end: "19:00"
preWeekend:
  after: "15:00"
  effect: hold
override:
  allowed: [oncall-lead]
`;

describe('parsePolicyYaml', () => {
  it('reads a full policy and fills the defaults it does not write', () => {
    const doc = parsePolicyYaml(FULL);
    expect(doc.approvals).toEqual({ low: 'none', medium: 'one', high: 'two_with_owner', critical: 'hold' });
    expect(doc.freezes[0]).toEqual({ name: 'year-end', from: '2026-12-20T00:00:00Z', to: '2027-01-04T00:00:00+01:00', effect: 'hold' });
    expect(doc.freezes[1]).toMatchObject({ every: ['fri', 'sat'], start: '22:00', end: '06:00', effect: 'needs_approval' });
    expect(doc.offHours).toEqual({ workdays: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '19:00', effect: 'needs_approval' });
    expect(doc.preWeekend).toEqual({ day: 'fri', after: '15:00', effect: 'hold' });
    expect(doc.override.allowed).toEqual(['oncall-lead']);
    expect(doc.budget).toEqual({ riskiest: 0.1, effect: 'hold' });
  });

  it('reads unquoted clock times as text (YAML 1.2), not as base-60 numbers', () => {
    const doc = parsePolicyYaml('service: p\noffHours:\n  start: 09:00\n  end: 18:30\n');
    expect(doc.offHours).toMatchObject({ start: '09:00', end: '18:30' });
  });

  it('names an unknown key with its path, its line and the keys allowed there', () => {
    const problems = problemsOf(() => parsePolicyYaml('service: payments\n\napprovals:\n  hihg: one\n'));
    expect(problems).toEqual([{ path: 'approvals.hihg', line: 4, message: 'unknown key (expected low, medium, high, critical)' }]);
  });

  it('names an unknown key in a freeze with the keys of the shape it has', () => {
    const dated = 'service: p\nfreezes:\n  - name: x\n    from: 2026-12-20T00:00:00Z\n    to: 2026-12-21T00:00:00Z\n    when: now\n';
    expect(problemsOf(() => parsePolicyYaml(dated))).toEqual([
      { path: 'freezes[0].when', line: 6, message: 'unknown key (expected name, from, to, effect)' },
    ]);
    const weekly = 'service: p\nfreezes:\n  - name: x\n    every: [saturday]\n    start: "01:00"\n    end: "02:00"\n    effct: hold\n';
    expect(problemsOf(() => parsePolicyYaml(weekly))).toEqual([
      { path: 'freezes[0].every[0]', line: 4, message: 'expected one of mon, tue, wed, thu, fri, sat, sun; got string "saturday"' },
      { path: 'freezes[0].effct', line: 7, message: 'unknown key (expected name, every, start, end, effect)' },
    ]);
  });

  it('reports every problem at once, top to bottom, with its line', () => {
    const yaml = `service: payments
owners: bob
approvals:
  low: onee
timezone: Mars/Base
freezes:
  - name: year-end
    from: 2026-12-20T00:00:00Z
    to: 2026-12-19T00:00:00Z
  - name: Year-End
    every: [sat]
    start: "10:00"
    end: "10:00"
  - name: no-shape
  - name: both
    from: 2026-12-20T00:00:00Z
    every: [sat]
offHours: {start: "09:00", end: "09:00"}
preWeekend:
  after: "25:00"
`;
    const problems = problemsOf(() => parsePolicyYaml(yaml));
    expect(problems.map((p) => [p.line, p.path])).toEqual([
      [2, 'owners'],
      [4, 'approvals.low'],
      [5, 'timezone'],
      [9, 'freezes[0].to'],
      [10, 'freezes[1].name'],
      [13, 'freezes[1].end'],
      [14, 'freezes[2]'],
      [15, 'freezes[3]'],
      [18, 'offHours.end'],
      [20, 'preWeekend.after'],
    ]);
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p.message]));
    expect(byPath['owners']).toBe('expected a list, got string "bob"');
    expect(byPath['approvals.low']).toBe('expected one of none, one, two_with_owner, hold; got string "onee"');
    expect(byPath['timezone']).toMatch(/unknown IANA time zone "Mars\/Base"/);
    expect(byPath['freezes[0].to']).toMatch(/must be after from/);
    expect(byPath['freezes[1].name']).toMatch(/names freezes\[0\] too/);
    expect(byPath['freezes[2]']).toMatch(/needs from and to .* or every, start and end/);
    expect(byPath['freezes[3]']).toMatch(/not both/);
    expect(byPath['preWeekend.after']).toMatch(/HH:MM/);
  });

  it('puts every problem in the message, each with its line and path', () => {
    try {
      parsePolicyYaml('service: p\napprovals:\n  hihg: one\ntimezone: Nowhere/City\n');
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toBe(
        'the policy is invalid (2 problems): line 3: approvals.hihg: unknown key (expected low, medium, high, critical); ' +
          'line 4: timezone: unknown IANA time zone "Nowhere/City" (e.g. UTC, Europe/Berlin, America/New_York)',
      );
    }
  });

  it('names a missing required key at the line of the mapping it belongs in', () => {
    const problems = problemsOf(() => parsePolicyYaml('service: p\nfreezes:\n  - name: x\n    from: 2026-12-20T00:00:00Z\n'));
    expect(problems).toEqual([{ path: 'freezes[0].to', line: 3, message: 'missing (required)' }]);
    expect(problemsOf(() => parsePolicyYaml('owners: []\n'))).toEqual([{ path: 'service', line: 1, message: 'missing (required)' }]);
  });

  it('says what a date freeze instant must look like', () => {
    const problems = problemsOf(() =>
      parsePolicyYaml('service: p\nfreezes:\n  - name: x\n    from: 2026-12-20\n    to: 2026-12-21T00:00:00Z\n'),
    );
    expect(problems).toEqual([
      {
        path: 'freezes[0].from',
        line: 4,
        message: 'expected an instant with a Z or an offset (2026-12-20T00:00:00Z); got string "2026-12-20"',
      },
    ]);
  });

  it('refuses YAML syntax errors with their line', () => {
    expect(problemsOf(() => parsePolicyYaml('service: p\nowners: [a, b]]\ntimezone: UTC\n'))[0]).toEqual({
      path: '',
      line: 2,
      message: 'YAML syntax: Unexpected flow-seq-end token in YAML stream: "]"',
    });
    const dup = problemsOf(() => parsePolicyYaml('service: p\nservice: q\n'));
    expect(dup).toEqual([{ path: '', line: 2, message: 'YAML syntax: Map keys must be unique' }]);
  });

  it('refuses an empty file, a file of comments, a non-mapping and a second document', () => {
    for (const text of ['', '   \n', '# nothing yet\n'])
      expect(problemsOf(() => parsePolicyYaml(text))[0]!.message).toMatch(/the policy is empty/);
    expect(problemsOf(() => parsePolicyYaml('- service: p\n'))).toEqual([
      { path: '', line: 1, message: 'a policy is a mapping of keys (service, approvals, owners, …), found a list' },
    ]);
    expect(problemsOf(() => parsePolicyYaml('just words\n'))[0]!.message).toMatch(/found a string/);
    expect(problemsOf(() => parsePolicyYaml('service: p\n---\nservice: q\n'))).toEqual([
      { path: '', line: 2, message: 'a second YAML document starts here (after "---"): a policy file holds one document (2 found)' },
    ]);
  });

  it('accepts a freeze window crossing midnight and refuses an empty one', () => {
    expect(parsePolicyYaml('service: p\nfreezes:\n  - {name: n, every: [fri], start: "22:00", end: "06:00"}\n').freezes).toHaveLength(1);
    const p = problemsOf(() => parsePolicyYaml('service: p\noffHours: {start: "09:00", end: "09:00"}\n'));
    expect(p).toEqual([{ path: 'offHours.end', line: 2, message: 'equals start (09:00): working hours would be empty' }]);
  });
});

describe('parsePolicyYaml: the gate budget', () => {
  const budgetOf = (lines: string) => parsePolicyYaml(`service: payments\nbudget:\n${lines}`).budget;
  const problemOf = (lines: string) => problemsOf(() => parsePolicyYaml(`service: payments\nowners: [alice]\nbudget:\n${lines}`));

  it('reads a percentage or a fraction as the fraction, the effect hold unless written', () => {
    expect(budgetOf('  riskiest: 10%\n')).toEqual({ riskiest: 0.1, effect: 'hold' });
    expect(budgetOf('  riskiest: 0.1\n  effect: needs_approval\n')).toEqual({ riskiest: 0.1, effect: 'needs_approval' });
    expect(budgetOf('  riskiest: 7.1%\n')!.riskiest).toBe(0.071);
    expect(budgetOf('  riskiest: " 12.5 %"\n')!.riskiest).toBe(0.125);
    expect(budgetOf('  riskiest: 50%\n')!.riskiest).toBe(0.5);
    expect(parsePolicyYaml('service: payments\n').budget).toBeUndefined();
  });

  it('refuses a share above 50%, at or below 0, a bare number above 1, and words, each at its line', () => {
    expect(problemOf('  riskiest: 150%\n')).toEqual([
      {
        path: 'budget.riskiest',
        line: 4,
        message:
          'at most 50%: a budget gates the riskiest releases, not most of them (for more, make the approvals of the levels stricter); got 150%',
      },
    ]);
    expect(problemOf('  riskiest: 0.6\n')[0]!.message).toMatch(/^at most 50%: .*; got 0\.6 \(60%\)$/);
    expect(problemOf('  riskiest: 0%\n')).toEqual([{ path: 'budget.riskiest', line: 4, message: 'must be more than 0%; got 0%' }]);
    expect(problemOf('  riskiest: -5%\n')[0]!.message).toBe('must be more than 0%; got -5%');
    expect(problemOf('  riskiest: 10\n')).toEqual([
      { path: 'budget.riskiest', line: 4, message: 'a bare number is a fraction of releases (0.1 is 10%); got 10: write 10% or 0.1' },
    ]);
    expect(problemOf('  riskiest: ten\n')).toEqual([
      { path: 'budget.riskiest', line: 4, message: 'expected a share of releases such as 10% or 0.1; got string "ten"' },
    ]);
    expect(problemOf('  riskiest: [10%]\n')[0]!.message).toBe('expected a share of releases such as 10% or 0.1; got a list');
    expect(problemOf('  riskiest: .inf\n')[0]!.message).toBe('expected a share of releases such as 10% or 0.1; got number Infinity');
  });

  it('refuses an unknown effect or key, a missing share, and a budget that is not a mapping', () => {
    expect(problemOf('  riskiest: 10%\n  effect: block\n')).toEqual([
      { path: 'budget.effect', line: 5, message: 'expected one of hold, needs_approval; got string "block"' },
    ]);
    expect(problemOf('  riskiest: 10%\n  riskest: 5%\n')).toEqual([
      { path: 'budget.riskest', line: 5, message: 'unknown key (expected riskiest, effect)' },
    ]);
    expect(problemOf('  effect: hold\n')).toEqual([{ path: 'budget.riskiest', line: 3, message: 'missing (required)' }]);
    expect(problemsOf(() => parsePolicyYaml('service: p\nbudget: 10%\n'))).toEqual([
      { path: 'budget', line: 2, message: 'a budget is a mapping (riskiest: 10%, effect: hold); got string "10%"' },
    ]);
  });

  it('reports a bad share beside the other problems, top to bottom', () => {
    const problems = problemsOf(() =>
      parsePolicyYaml('service: p\napprovals:\n  hihg: one\nbudget:\n  riskiest: 80%\ntimezone: Mars/Base\n'),
    );
    expect(problems.map((p) => [p.line, p.path])).toEqual([
      [3, 'approvals.hihg'],
      [5, 'budget.riskiest'],
      [6, 'timezone'],
    ]);
  });

  it('takes the same shares through the JSON API, without lines', () => {
    expect(parsePolicyDocument({ service: 'p', budget: { riskiest: '10%' } }).budget).toEqual({ riskiest: 0.1, effect: 'hold' });
    expect(parsePolicyDocument({ service: 'p', budget: { riskiest: 0.05, effect: 'needs_approval' } }).budget!.riskiest).toBe(0.05);
    expect(problemsOf(() => parsePolicyDocument({ service: 'p', budget: { riskiest: 1.5 } }))).toEqual([
      {
        path: 'budget.riskiest',
        line: null,
        message: 'a bare number is a fraction of releases (0.1 is 10%); got 1.5: write 1.5% or 0.015',
      },
    ]);
  });

  it('keeps the schema itself strict for a document that skips the parser', () => {
    expect(PolicyDocument.safeParse({ service: 'p', budget: { riskiest: 0.8 } }).success).toBe(false);
    expect(PolicyDocument.safeParse({ service: 'p', budget: { riskiest: 0 } }).success).toBe(false);
    expect(PolicyDocument.safeParse({ service: 'p', budget: { riskiest: '10%' } }).success).toBe(false);
  });
});

describe('parsePolicyDocument (JSON)', () => {
  it('runs the same checks, without lines', () => {
    const problems = problemsOf(() =>
      parsePolicyDocument({
        service: 'p',
        approvals: { hihg: 'one' },
        timezone: 'Mars/Base',
        freezes: [
          { name: 'a', every: ['sat'], start: '10:00', end: '10:00' },
          { name: 'A', from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' },
        ],
      }),
    );
    expect(problems.map((p) => [p.path, p.line])).toEqual([
      ['approvals.hihg', null],
      ['timezone', null],
      ['freezes[0].end', null],
      ['freezes[1].to', null],
      ['freezes[1].name', null],
    ]);
  });

  it('refuses what is not a mapping', () => {
    expect(problemsOf(() => parsePolicyDocument(null))[0]!.message).toMatch(/empty/);
    expect(problemsOf(() => parsePolicyDocument(['service']))[0]!.message).toMatch(/mapping .* found a list/);
    expect(problemsOf(() => parsePolicyDocument('service: p'))[0]!.message).toMatch(/found a string/);
  });

  it('equals the YAML parse of the same policy', () => {
    const fromYaml = parsePolicyYaml(FULL);
    expect(parsePolicyDocument(JSON.parse(JSON.stringify(fromYaml)))).toEqual(fromYaml);
  });
});

describe('policyToYaml', () => {
  it('renders a document that parses back to itself, keys in reading order, times quoted', () => {
    const doc = parsePolicyYaml(FULL);
    const yaml = policyToYaml(doc);
    expect(parsePolicyYaml(yaml)).toEqual(doc);
    expect(yaml.split('\n')[0]).toBe('service: payments');
    expect(yaml).toContain('every: [fri, sat]');
    expect(yaml).toContain('start: "22:00"');
    const keys = yaml
      .split('\n')
      .filter((l) => /^\w/.test(l))
      .map((l) => l.split(':')[0]);
    expect(yaml).toContain('riskiest: 10%');
    expect(keys).toEqual([
      'service',
      'owners',
      'approvals',
      'budget',
      'selfApproval',
      'timezone',
      'freezes',
      'offHours',
      'preWeekend',
      'override',
    ]);
  });

  it('renders the default policy', () => {
    expect(parsePolicyYaml(policyToYaml(DEFAULT_POLICY))).toEqual(DEFAULT_POLICY);
  });
});

describe('DEFAULT_POLICY', () => {
  it('is the schema defaults for service default: high needs one, critical held, no self-approval', () => {
    expect(PolicyDocument.parse(DEFAULT_POLICY)).toEqual(DEFAULT_POLICY);
    expect(DEFAULT_POLICY).toMatchObject({
      service: 'default',
      owners: [],
      approvals: { low: 'none', medium: 'none', high: 'one', critical: 'hold' },
      selfApproval: 'forbidden',
      freezes: [],
    });
    expect(DEFAULT_POLICY.offHours).toBeUndefined();
    expect(Object.isFrozen(DEFAULT_POLICY.approvals)).toBe(true);
  });
});
