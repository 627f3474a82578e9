import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAll } from '../../../platform/storage/blob-store.contract.ts';
import { createLocalDiskStore } from '../../../platform/storage/local-disk.ts';
import { systemClock } from '../../../shared/time.ts';
import { openTestDatabase } from '../../../test/database.ts';
import { ActorLoader } from '../../access/index.ts';
import { seedDemo } from '../../schools/demo/demo-school.ts';
import { getReadableFile } from '../files.service.ts';
import { findNewestDocuments } from '../lists.store.ts';
import { listShared } from '../shares.service.ts';
import { seedDocumentsDemo } from './documents-demo.ts';

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let blobDir: string;
let schoolId: string;
const now = new Date(Date.UTC(2026, 8, 16, 8, 0));
const blobs = () => createLocalDiskStore(blobDir);
const actorOf = async (login: string) => {
  const { id } = await database.db.selectFrom('users').select('id').where('login', '=', login).executeTakeFirstOrThrow();
  return (await new ActorLoader(database.db).load(id, 'session'))!;
};

beforeAll(async () => {
  database = await openTestDatabase();
  blobDir = await mkdtemp(path.join(tmpdir(), 'preau-documents-demo-'));
  await seedDemo(database.db, () => undefined);
  schoolId = (await database.db.selectFrom('schools').select('id').executeTakeFirstOrThrow()).id;
  await seedDocumentsDemo(database.db, { schoolId, now, blobs: blobs() });
});
afterAll(async () => {
  await database.close();
  await rm(blobDir, { recursive: true, force: true });
});

const count = async (table: 'files' | 'folders' | 'shares') =>
  Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('the demo documents', () => {
  it('gives Karim Benali folders and files shared with 6e A and 5e B, and is idempotent', async () => {
    const before = [await count('folders'), await count('files'), await count('shares')];
    expect(before).toEqual([4, 7, 4]);
    await seedDocumentsDemo(database.db, { schoolId, now, blobs: blobs() });
    expect([await count('folders'), await count('files'), await count('shares')]).toEqual(before);
  });

  it('shows Léa the documents of 6e A by folder, with valid PDFs behind them', async () => {
    const lea = await actorOf('lea.martin');
    const shared = await listShared({ db: database.db, blobs: blobs(), clock: systemClock }, lea);
    expect(shared.classes.map((c) => [c.name, c.groups.map((g) => [g.path, g.files.map((f) => f.name)])])).toEqual([
      [
        '6e A',
        [
          [null, ['Calendrier des évaluations — 1er trimestre.pdf']],
          [['Mathématiques 6e'], ['Liste du matériel.txt']],
          [['Mathématiques 6e', 'Fractions'], ['Corrigé — fractions (exercices 1 à 3).pdf', "Fiche d'exercices — fractions.pdf"]],
        ],
      ],
    ]);
    const sheet = shared.classes[0]!.groups[2]!.files[1]!;
    const file = await getReadableFile({ db: database.db, blobs: blobs(), clock: systemClock }, lea, sheet.id);
    const bytes = await readAll((await blobs().get(file.sha256))!);
    expect(await fileTypeFromBuffer(bytes)).toEqual({ ext: 'pdf', mime: 'application/pdf' });
    expect(bytes.toString('latin1')).toContain('%%EOF');
  });

  it('feeds the dashboard with the newest documents of the week', async () => {
    const classes = await database.db.selectFrom('classes').select(['id', 'name']).where('name', 'in', ['6e A', '5e B']).execute();
    const newest = await findNewestDocuments(database.db, { classIds: classes.map((c) => c.id), limit: 3 });
    expect(newest.map((d) => d.name)).toEqual(['Corrigé — fractions (exercices 1 à 3).pdf', 'Calcul mental — série 3.txt', "Fiche d'exercices — fractions.pdf"]);
    expect(newest[0]!.sharedBy).toEqual({ firstName: 'Karim', lastName: 'Benali' });
  });
});
