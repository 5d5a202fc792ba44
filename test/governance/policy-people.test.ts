import { describe, expect, it } from 'vitest';
import { identitiesOf, isOwner, isSelf } from '../../src/governance/policy/people.js';

const release = (registeredBy: string | null, authors: string[]) => ({ registeredBy, authors });

describe('isSelf', () => {
  it('matches the registrant, case-insensitively', () => {
    expect(isSelf('Dana', release('dana', []))).toBe(true);
    expect(isSelf('erin', release('dana', []))).toBe(false);
    expect(isSelf('dana', release(null, []))).toBe(false);
  });

  it('matches an author written as "Name <email>" by the email, its local part or the name', () => {
    const r = release(null, ['Dana Scully <Dana.Scully@Example.com>']);
    expect(isSelf('dana.scully@example.com', r)).toBe(true);
    expect(isSelf('dana.scully', r)).toBe(true);
    expect(isSelf('dana  scully', r)).toBe(true);
    expect(isSelf('Dana Scully <dana.scully@example.com>', r)).toBe(true);
    expect(isSelf('dana', r)).toBe(false);
    expect(isSelf('scully', r)).toBe(false);
  });

  it('matches an author stored as a bare email or a login', () => {
    expect(isSelf('dana', release(null, ['dana@example.com']))).toBe(true);
    expect(isSelf('dana@example.com', release(null, ['dana']))).toBe(true);
    expect(isSelf('dana', release(null, ['mulder', 'DANA']))).toBe(true);
  });

  it('never matches a part of a name: al is not alice, ali@x is not alice@x', () => {
    const r = release('alice', ['Alice Liddell <alice@example.com>', 'alfred']);
    expect(isSelf('al', r)).toBe(false);
    expect(isSelf('ali@example.com', r)).toBe(false);
    expect(isSelf('lice', r)).toBe(false);
    expect(isSelf('example.com', r)).toBe(false);
    expect(isSelf('', r)).toBe(false);
  });

  it("knows GitHub's private address is the login", () => {
    expect(isSelf('dana', release(null, ['Dana <12345+dana@users.noreply.github.com>']))).toBe(true);
    expect(isSelf('dana', release(null, ['x <12345+dana@example.com>']))).toBe(false);
  });
});

describe('isOwner', () => {
  it('uses the same matching against the owners list', () => {
    expect(isOwner('Alice', ['alice', 'bob'])).toBe(true);
    expect(isOwner(' alice ', ['alice', 'bob'])).toBe(true);
    // Granting is exact: another address with the same local part, or an address for a bare name, is not the owner.
    expect(isOwner('Alice@example.com', ['alice', 'bob'])).toBe(false);
    expect(isOwner('alice@vendor.example', ['alice@corp.example'])).toBe(false);
    expect(isOwner('al', ['alice', 'bob'])).toBe(false);
    expect(isOwner('bob', [])).toBe(false);
  });
});

describe('identitiesOf', () => {
  it('lists the whole text, the name, the email and its local part', () => {
    expect([...identitiesOf('Dana Scully <dana@example.com>')].sort()).toEqual(
      ['dana', 'dana scully', 'dana scully <dana@example.com>', 'dana@example.com'].sort(),
    );
  });
});
