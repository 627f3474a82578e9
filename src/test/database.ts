/**
 * A fresh, migrated database for one test file. Set TEST_DATABASE_URL to run the suite on a real
 * PostgreSQL server (each file gets its own schema, dropped afterwards); otherwise each file gets
 * an in-memory PGlite. `npm test` runs the whole suite both ways.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../platform/db/db.ts';
import { migrate } from '../platform/db/migrate.ts';

export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] || null;

export async function openTestDatabase(): Promise<Database & { url: string | null; schema: string | undefined }> {
  const schema = TEST_DATABASE_URL ? `t_${randomBytes(6).toString('hex')}` : undefined;
  const database = await openDatabase({ url: TEST_DATABASE_URL, dataDir: 'memory://', ...(schema ? { schema } : {}) });
  await migrate(database);
  return {
    ...database,
    url: TEST_DATABASE_URL,
    schema,
    async close() {
      await database.close();
      if (TEST_DATABASE_URL && schema) {
        const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      }
    },
  };
}
