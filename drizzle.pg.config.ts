import { defineConfig } from 'drizzle-kit';

/** Migrations for the PostgreSQL store; the SQLite ones come from drizzle.config.ts. */
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/store/pg/schema.ts', './src/store/pg/ops-schema.ts'],
  out: './drizzle/pg',
});
