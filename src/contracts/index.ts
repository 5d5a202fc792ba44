export * from './documents.js';
export * from './search.js';
export * from './errors.js';
export * from './tokens.js';
export * from './evals.js';
export * from './text.js';
export * from './paging.js';
