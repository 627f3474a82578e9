import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countQueries } from '../../platform/db/db.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { BlobStore } from '../../platform/storage/blob-store.ts';
import { collectBlobGarbage } from '../../platform/storage/blobs-gc.ts';
import { createLocalDiskStore } from '../../platform/storage/local-disk.ts';
import { manualClock } from '../../shared/time.ts';
import { openTestDatabase } from '../../test/database.ts';
import { addPupils, createSchoolFixture, type SchoolFixture } from '../../test/fixtures.ts';
import { ActorLoader, type Actor } from '../access/index.ts';
import { textFile } from './demo/sample-files.ts';
import { QUOTA_STAFF_BYTES } from './documents.config.ts';
import { deleteFile, prepareUpload, recordUpload, type DocumentsDeps } from './files.service.ts';
import { createFolder } from './folders.service.ts';
import { findNewestDocuments, findOwnedFiles } from './index.ts';
import { listShared, setShares } from './shares.service.ts';

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let db: Kysely<DB>;
let s: SchoolFixture;
let blobDir: string;
let blobs: BlobStore;
let deps: DocumentsDeps;
const clock = manualClock(Date.UTC(2026, 8, 7, 7, 0, 0));
const actors = new Map<string, Actor>();

async function actorOf(userId: string): Promise<Actor> {
  let actor = actors.get(userId);
  if (!actor) {
    actor = (await new ActorLoader(db).load(userId, 'session'))!;
    actors.set(userId, actor);
  }
  return actor;
}

/** Uploads like POST /api/files does, minus HTTP. */
async function uploadAs(userId: string, text: string, options: { name?: string; folderId?: string } = {}) {
  const actor = await actorOf(userId);
  const prepared = await prepareUpload(deps, actor, options.folderId ? { folderId: options.folderId } : {});
  const stored = await blobs.put(Readable.from([textFile([text])]), { maxBytes: prepared.maxBytes });
  return recordUpload(deps, actor, prepared, { ...stored, contentType: 'text/plain; charset=utf-8', name: options.name ?? `${text}.txt` });
}

beforeAll(async () => {
  database = await openTestDatabase();
  db = database.db;
  s = await createSchoolFixture(db, { passwordHash: 'x' });
  blobDir = await mkdtemp(path.join(tmpdir(), 'preau-documents-'));
  blobs = createLocalDiskStore(blobDir);
  deps = { db, blobs, clock };
});
afterAll(async () => {
  await database.close();
  await rm(blobDir, { recursive: true, force: true });
});

describe('findOwnedFiles (for messaging and homework)', () => {
  it('returns only the actor’s own files that are not deleted, ignoring unknown and malformed ids', async () => {
    const mine = await uploadAs(s.users.lea, 'brouillon');
    const deleted = await uploadAs(s.users.lea, 'effacé');
    const theirs = await uploadAs(s.users.hugo, 'hugo');
    await deleteFile(deps, await actorOf(s.users.lea), deleted.id);
    const found = await findOwnedFiles(db, s.users.lea, [mine.id, deleted.id, theirs.id, 'pas-un-id', '00000000-0000-4000-8000-000000000000', mine.id]);
    expect(found).toEqual([
      expect.objectContaining({ id: mine.id, ownerId: s.users.lea, schoolId: s.schoolA, name: 'brouillon.txt', contentType: 'text/plain; charset=utf-8', folderId: null }),
    ]);
    expect(found[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await findOwnedFiles(db, s.users.lea, [])).toEqual([]);
  });
});

describe('sharing and findNewestDocuments (dashboard)', () => {
  let direct: string;
  let inFolder: string;

  beforeAll(async () => {
    const teacher = await actorOf(s.users.teacher6A);
    clock.set(Date.UTC(2026, 8, 1, 8, 0, 0));
    direct = (await uploadAs(s.users.teacher6A, 'Calendrier')).id;
    await setShares(deps, teacher, 'file', direct, { classIds: [s.class6A, s.class5B] });
    clock.set(Date.UTC(2026, 8, 2, 8, 0, 0));
    const folder = await createFolder(deps, teacher, { name: 'Fractions' });
    await setShares(deps, teacher, 'folder', folder.id, { classIds: [s.class6A] });
    inFolder = (await uploadAs(s.users.teacher6A, 'Fiche', { folderId: folder.id })).id;
  });

  it('gives the newest shared documents first, each once with the classes it is shared with', async () => {
    const newest = await findNewestDocuments(db, { classIds: [s.class6A, s.class5B], limit: 10 });
    expect(newest.map((d) => d.id)).toEqual([inFolder, direct]);
    expect(newest[1]).toEqual({
      id: direct,
      name: 'Calendrier.txt',
      size: textFile(['Calendrier']).length,
      contentType: 'text/plain; charset=utf-8',
      sharedAt: new Date(Date.UTC(2026, 8, 1, 8, 0, 0)).toISOString(),
      sharedBy: { firstName: 'Karim', lastName: 'Benali' },
      classIds: expect.arrayContaining([s.class6A, s.class5B]),
    });
    expect(newest[0]!.classIds).toEqual([s.class6A]);
    expect(await findNewestDocuments(db, { classIds: [s.class5B], limit: 10 })).toEqual([expect.objectContaining({ id: direct, classIds: [s.class5B] })]);
    expect(await findNewestDocuments(db, { classIds: [s.class6A, s.class5B], limit: 1 })).toHaveLength(1);
    expect(await findNewestDocuments(db, { classIds: [], limit: 5 })).toEqual([]);
  });

  it('costs one query whatever the number of classes, shares and files', async () => {
    const few = await countQueries(() => findNewestDocuments(db, { classIds: [s.class6A], limit: 5 }));
    await addPupils(db, s.schoolA, s.class6A, 30);
    const manyClasses = [s.class6A, s.class5B, s.classB1, ...Array.from({ length: 40 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`)];
    const many = await countQueries(() => findNewestDocuments(db, { classIds: manyClasses, limit: 5 }));
    expect([few.queries, many.queries]).toEqual([1, 1]);
  });

  it('leaves out deleted files', async () => {
    const teacher = await actorOf(s.users.teacher6A);
    const extra = await uploadAs(s.users.teacher6A, 'Brouillon partagé');
    await setShares(deps, teacher, 'file', extra.id, { classIds: [s.class6A] });
    await deleteFile(deps, teacher, extra.id);
    expect((await findNewestDocuments(db, { classIds: [s.class6A], limit: 10 })).map((d) => d.id)).not.toContain(extra.id);
  });

  it('lists what pupils and parents see in one query, grouped by class then folder', async () => {
    const parent = await actorOf(s.users.parentLea);
    const { result, queries } = await countQueries(() => listShared(deps, parent));
    expect(queries).toBe(1);
    expect(result.classes.map((c) => [c.name, c.groups.map((g) => [g.path, g.files.map((f) => f.name)])])).toEqual([
      ['6e A', [[null, ['Calendrier.txt']], [['Fractions'], ['Fiche.txt']]]],
    ]);
  });

  it('keeps the date of classes already shared with when the list changes', async () => {
    const teacher = await actorOf(s.users.teacher6A);
    clock.set(Date.UTC(2026, 8, 5, 8, 0, 0));
    const { shares } = await setShares(deps, teacher, 'file', direct, { classIds: [s.class5B] });
    expect(shares).toEqual([expect.objectContaining({ className: '5e B', sharedAt: new Date(Date.UTC(2026, 8, 1, 8, 0, 0)).toISOString() })]);
  });
});

describe('quota', () => {
  it('lets only one of two concurrent uploads through when both would not fit', async () => {
    const teacher = await actorOf(s.users.teacherParentHugo);
    const used = QUOTA_STAFF_BYTES - 1000;
    await db
      .insertInto('files')
      .values({ owner_id: teacher.userId, school_id: s.schoolA, sha256: 'a'.repeat(64), size: used, content_type: 'text/plain', name: 'plein.txt' })
      .execute();
    const prepared = await Promise.all([prepareUpload(deps, teacher, {}), prepareUpload(deps, teacher, {})]);
    expect(prepared.map((p) => p.maxBytes)).toEqual([1000, 1000]);
    const results = await Promise.allSettled(
      ['première', 'seconde'].map(async (text, i) => {
        const body = Buffer.alloc(600, text);
        const stored = await blobs.put(Readable.from([body]), { maxBytes: prepared[i]!.maxBytes });
        return recordUpload(deps, teacher, prepared[i]!, { ...stored, contentType: 'text/plain', name: `${text}.txt` });
      }),
    );
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/place qui vous reste/) });
    // The refused upload's contents are left to blobs-gc (an hour later), not deleted at once.
    const kept = await db.selectFrom('files').select('sha256').where('owner_id', '=', teacher.userId).execute();
    const refusedSha = [Buffer.alloc(600, 'première'), Buffer.alloc(600, 'seconde')]
      .map((b) => createHash('sha256').update(b).digest('hex'))
      .find((sha) => !kept.some((k) => k.sha256 === sha))!;
    expect(await blobs.stat(refusedSha)).not.toBeNull();
    await collectBlobGarbage(db, blobs, { dryRun: false, now: new Date(Date.now() + 2 * 3600_000) });
    expect(await blobs.stat(refusedSha)).toBeNull();
  });

  it("never loses the contents of someone else's identical upload when one is refused", async () => {
    // The same worksheet uploaded by two teachers at once: one is over quota, the other is not.
    // Both stored the same blob; the refusal used to delete it before the other's record existed.
    const full = await actorOf(s.users.teacherParentHugo);
    const other = await actorOf(s.users.teacher6A);
    const body = Buffer.alloc(700, 'fiche identique');
    const refusedPrep = await prepareUpload(deps, full, {});
    const acceptedPrep = await prepareUpload(deps, other, {});
    const stored = await blobs.put(Readable.from([body]), { maxBytes: 10_000 });
    await db.updateTable('files').set({ size: QUOTA_STAFF_BYTES }).where('name', '=', 'plein.txt').execute();
    await expect(recordUpload(deps, full, refusedPrep, { ...stored, contentType: 'text/plain', name: 'fiche.txt' })).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    await db.updateTable('files').set({ size: QUOTA_STAFF_BYTES - 1000 }).where('name', '=', 'plein.txt').execute();
    const file = await recordUpload(deps, other, acceptedPrep, { ...stored, contentType: 'text/plain', name: 'fiche.txt' });
    expect(file.size).toBe(700);
    expect(await blobs.stat(stored.sha256)).not.toBeNull();
  });

  it('refuses any upload once the space is full, saying so', async () => {
    const teacher = await actorOf(s.users.teacherParentHugo);
    await db.updateTable('files').set({ size: QUOTA_STAFF_BYTES }).where('name', '=', 'plein.txt').execute();
    await expect(prepareUpload(deps, teacher, {})).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/^Votre espace de stockage est plein \(500 Mo\)/) });
  });
});
