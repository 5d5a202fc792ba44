import { defineConfig } from 'drizzle-kit';

// `drizzle-kit generate` needs no database. To run drizzle-kit against a
// server, set DATABASE_URL (drizzle-kit's pglite driver cannot load pgvector).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/store/schema.ts',
  out: './migrations',
  ...(process.env.DATABASE_URL ? { dbCredentials: { url: process.env.DATABASE_URL } } : {}),
});
