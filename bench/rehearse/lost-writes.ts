/**
 * The lost-write check: every write the server acknowledged during the rehearsal (sessions opened,
 * accounts activated, messages sent, hand-ins at their acknowledged version) must be in the
 * database afterwards. Read straight from the database — PGlite's files once the server has
 * stopped, or the PostgreSQL server — never through an endpoint of the product.
 */
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../../src/platform/db/db.ts';
import type { Writes } from './context.ts';

export interface LostWrites {
  checked: number;
  lost: number;
  by_kind: Record<'sessions' | 'activations' | 'messages' | 'hand_ins', { acknowledged: number; missing: number }>;
  source: string;
}

export async function checkWrites(writes: Writes, target: { dataDir: string } | { databaseUrl: string }): Promise<LostWrites> {
  const database = 'databaseUrl' in target ? await openDatabase({ url: target.databaseUrl, dataDir: '' }) : await openDatabase({ url: null, dataDir: path.join(target.dataDir, 'pglite') });
  try {
    const db = database.db;
    const found = async (query: (ids: string[]) => Promise<Array<{ id: string }>>, ids: string[]) => {
      const seen = new Set<string>();
      for (let i = 0; i < ids.length; i += 1000) for (const r of await query(ids.slice(i, i + 1000))) seen.add(r.id);
      return ids.filter((id) => !seen.has(id)).length;
    };
    const sessions = [...writes.sessions];
    const activations = [...writes.activations];
    const messages = [...writes.messages];
    const handIns = [...writes.handIns.keys()];
    const missingSessions = await found((ids) => db.selectFrom('sessions').select('id').where('id', 'in', ids).execute(), sessions);
    const missingActivations = await found(
      (ids) => db.selectFrom('users').select('id').where('id', 'in', ids).where('activated_at', 'is not', null).where('password_hash', 'is not', null).execute(),
      activations,
    );
    const missingMessages = messages.length === 0 ? 0 : await found(async (ids) => (await sql<{ id: string }>`SELECT id::text AS id FROM messages WHERE id::text IN (${sql.join(ids)})`.execute(db)).rows, messages);
    const missingHandIns =
      handIns.length === 0
        ? 0
        : await found(async (ids) => {
            const rows = (await sql<{ id: string; version: number }>`SELECT id::text AS id, version FROM homework_submissions WHERE id::text IN (${sql.join(ids)})`.execute(db)).rows;
            return rows.filter((r) => r.version >= (writes.handIns.get(r.id) ?? 0));
          }, handIns);
    const by_kind = {
      sessions: { acknowledged: sessions.length, missing: missingSessions },
      activations: { acknowledged: activations.length, missing: missingActivations },
      messages: { acknowledged: messages.length, missing: missingMessages },
      hand_ins: { acknowledged: handIns.length, missing: missingHandIns },
    };
    const checked = sessions.length + activations.length + messages.length + handIns.length;
    return { checked, lost: missingSessions + missingActivations + missingMessages + missingHandIns, by_kind, source: 'databaseUrl' in target ? 'PostgreSQL (DATABASE_URL)' : 'PGlite files after the server stopped' };
  } finally {
    await database.close();
  }
}
