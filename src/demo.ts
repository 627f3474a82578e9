/**
 * The demo platform: the collège with its people (schools module), then a realistic week of each
 * school-day module's content. Every step is idempotent, so a restart changes nothing.
 */
import type { Kysely } from 'kysely';
import type { DB } from './platform/db/schema.ts';
import type { BlobStore } from './platform/storage/blob-store.ts';
import { seedDocumentsDemo } from './modules/documents/index.ts';
import { seedHomeworkDemo } from './modules/homework/index.ts';
import { seedMessagingDemo } from './modules/messaging/index.ts';
import { DEMO_SCHOOL, seedDemo } from './modules/schools/index.ts';
import { seedTimetableDemo } from './modules/timetable/index.ts';

/** Seeds what is missing of the demo; true when the school itself was created now. */
export async function seedDemoPlatform(deps: { db: Kysely<DB>; blobs: BlobStore; now: Date }, log: (line: string) => void): Promise<boolean> {
  const created = await seedDemo(deps.db, log);
  const school = await deps.db.selectFrom('schools').select('id').where('uai', '=', DEMO_SCHOOL.uai).executeTakeFirst();
  if (!school) return created;
  const ctx = { schoolId: school.id, now: deps.now };
  await seedTimetableDemo(deps.db, ctx);
  await seedDocumentsDemo(deps.db, { ...ctx, blobs: deps.blobs });
  await seedHomeworkDemo(deps.db, ctx);
  await seedMessagingDemo(deps.db, ctx);
  return created;
}
