// Filled in by the store work: builds a migrated PGlite template once per run.
export default async function setup(): Promise<void> {}
