import { mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/db.ts';
import { openTestDatabase } from '../../test/database.ts';
import { createSchoolFixture, type SchoolFixture } from '../../test/fixtures.ts';
import { chunked } from './blob-store.contract.ts';
import type { BlobStore } from './blob-store.ts';
import { collectBlobGarbage, formatBlobsGcReport } from './blobs-gc.ts';
import { createLocalDiskStore } from './local-disk.ts';

describe('blobs-gc', () => {
  let database: Database;
  let school: SchoolFixture;
  let dir: string;
  let store: BlobStore;
  const now = new Date();
  const twoHoursAgo = new Date(now.getTime() - 2 * 3600_000);

  /** Stores `text` and dates the blob `when`. */
  async function blob(text: string, when = twoHoursAgo): Promise<string> {
    const { sha256 } = await store.put(chunked(Buffer.from(text)), { maxBytes: 10_000 });
    await utimes(path.join(dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256), when, when);
    return sha256;
  }

  async function fileRow(sha256: string, deleted: boolean): Promise<string> {
    const row = await database.db
      .insertInto('files')
      .values({
        owner_id: school.users.teacher6A,
        school_id: school.schoolA,
        sha256,
        size: 10,
        content_type: 'text/plain',
        name: 'fiche.txt',
        deleted_at: deleted ? now : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** A message from the teacher to Léa with `fileId` attached; the copies deleted as asked. */
  async function messageWith(fileId: string, deletedBy: { sender: boolean; recipient: boolean }): Promise<void> {
    const t = school.users.teacher6A;
    const lea = school.users.lea;
    const thread = await sql<{ id: string }>`
      INSERT INTO message_threads (school_id, subject, created_by) VALUES (${school.schoolA}, 'Sortie', ${t}) RETURNING id`.execute(database.db);
    const threadId = thread.rows[0]!.id;
    const message = await sql<{ id: string }>`
      INSERT INTO messages (thread_id, sender_id, body, audience) VALUES (${threadId}, ${t}, 'Voir la pièce jointe', '{}'::jsonb) RETURNING id`.execute(database.db);
    const messageId = message.rows[0]!.id;
    await sql`INSERT INTO message_attachments (message_id, file_id, position) VALUES (${messageId}, ${fileId}, 0)`.execute(database.db);
    await sql`
      INSERT INTO message_copies (message_id, user_id, thread_id, sent_at, is_sender, deleted_at) VALUES
        (${messageId}, ${t}, ${threadId}, now(), true, ${deletedBy.sender ? now : null}),
        (${messageId}, ${lea}, ${threadId}, now(), false, ${deletedBy.recipient ? now : null})`.execute(database.db);
  }

  async function homeworkWith(fileId: string): Promise<void> {
    const item = await sql<{ id: string }>`
      INSERT INTO homework_items (school_id, class_id, subject_code, teacher_id, instructions, due_date)
      VALUES (${school.schoolA}, ${school.class6A}, 'MATHS', ${school.users.teacher6A}, 'Exercices 1 à 4', '2026-12-01') RETURNING id`.execute(database.db);
    await sql`INSERT INTO homework_attachments (homework_id, file_id, position) VALUES (${item.rows[0]!.id}, ${fileId}, 0)`.execute(database.db);
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    school = await createSchoolFixture(database.db, { passwordHash: 'sans-objet' });
    dir = await mkdtemp(path.join(tmpdir(), 'preau-gc-'));
    store = createLocalDiskStore(dir);
  });

  afterAll(async () => {
    await database?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('removes only contents no record can reach, and nothing written in the last hour', async () => {
    const live = await blob('document en cours');
    await fileRow(live, false);
    await fileRow(live, true); // a deleted copy of contents someone else still has
    const deletedDocument = await blob('document supprimé');
    await fileRow(deletedDocument, true);
    const keptAttachment = await blob('pièce jointe encore lue');
    await messageWith(await fileRow(keptAttachment, true), { sender: true, recipient: false });
    const goneAttachment = await blob('pièce jointe de message supprimé');
    await messageWith(await fileRow(goneAttachment, true), { sender: true, recipient: true });
    const homework = await blob('énoncé du devoir');
    await homeworkWith(await fileRow(homework, true));
    const orphan = await blob('refusé après stockage');
    const fresh = await blob('envoyé il y a une minute', new Date(now.getTime() - 60_000));

    const dry = await collectBlobGarbage(database.db, store, { dryRun: true, now });
    expect(dry).toEqual({ scanned: 7, recent: 1, referenced: 3, removed: 3, removedBytes: dry.removedBytes, rescued: 0 });
    expect(formatBlobsGcReport(dry, true)).toContain("à supprimer (simulation, rien n'est supprimé) : 3");
    for (const sha of [live, deletedDocument, keptAttachment, goneAttachment, homework, orphan, fresh]) expect(await store.stat(sha)).not.toBeNull();

    const report = await collectBlobGarbage(database.db, store, { dryRun: false, now });
    expect(report).toMatchObject({ scanned: 7, recent: 1, referenced: 3, removed: 3, rescued: 0 });
    expect(report.removedBytes).toBe(dry.removedBytes);
    for (const sha of [deletedDocument, goneAttachment, orphan]) expect(await store.stat(sha), sha).toBeNull();
    for (const sha of [live, keptAttachment, homework, fresh]) expect(await store.stat(sha), sha).not.toBeNull();
    expect(formatBlobsGcReport(report, false)).toContain('supprimés : 3');

    const again = await collectBlobGarbage(database.db, store, { dryRun: false, now });
    expect(again).toMatchObject({ scanned: 4, removed: 0 });
  });

  it('keeps contents uploaded again after the collector listed them', async () => {
    const reuploaded = await blob('téléversé de nouveau pendant le nettoyage');
    // The collector's view of the blob is the old one (listed two hours ago), but a new upload
    // refreshes it before the delete: the delete is conditional on that time.
    const listing = store.list.bind(store);
    const racing: BlobStore = {
      ...store,
      list: async function* () {
        for await (const b of listing()) {
          yield b;
          if (b.sha256 === reuploaded) await store.put(chunked(Buffer.from('téléversé de nouveau pendant le nettoyage')), { maxBytes: 1000 });
        }
      },
    };
    const report = await collectBlobGarbage(database.db, racing, { dryRun: false, now: new Date() });
    expect(report.rescued).toBe(1);
    expect(await store.stat(reuploaded)).not.toBeNull();
  });
});
