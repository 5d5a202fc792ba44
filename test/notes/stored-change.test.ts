import { describe, expect, it } from 'vitest';
import { noteChangeOf } from '../../src/notes/stored-change.js';

const stored = (externalId: string, title: string) => ({
  id: '00000000-0000-4000-8000-000000000001',
  externalId,
  title,
  body: '',
  author: null,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  labels: [],
  files: [],
});

describe('a stored change in the drafter’s terms', () => {
  it('is cited by the pull request its subject names, by its hash, or by the id it was registered with', () => {
    const sha = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
    expect(noteChangeOf(stored(sha, 'fix: keep the cart (#12)'))).toMatchObject({ key: '#12', pr: 12, shas: [sha], registeredId: sha });
    expect(noteChangeOf(stored('pr-9', 'Merge pull request #9 from ana/wishlist'))).toMatchObject({ key: '#9', registeredId: 'pr-9' });
    expect(noteChangeOf(stored(sha, 'fix: keep the cart'))).toMatchObject({ key: sha, pr: null });
    const own = noteChangeOf(stored('shop-pr-77', 'fix: round the tax'));
    expect(own).toMatchObject({ key: 'shop-pr-77', shas: [], evidenceId: 'change:00000000-0000-4000-8000-000000000001' });
    expect(own.registeredId).toBeUndefined();
  });
});
