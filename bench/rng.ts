/** The benchmark corpus uses the generators' seeded PRNG (see src/evals/rng.ts). */
export { Rng } from '../src/evals/rng.js';
