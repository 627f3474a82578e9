import { createHash, randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXE_HEAD, multipartBody, pngOfSize } from '../../platform/http/multipart.test-support.ts';
import { Client, buildTestApp, type TestApp, browsers } from '../../test/app.ts';
import { FIXTURE_PASSWORD, createSchoolFixture, type SchoolFixture } from '../../test/fixtures.ts';
import { hashPassword } from '../identity/index.ts';
import { simplePdf, textFile } from './demo/sample-files.ts';
import { MAX_FILE_BYTES } from './documents.config.ts';
import type { TFile, TLibrary, TSharedDocuments } from './documents.schemas.ts';

let t: TestApp;
let s: SchoolFixture;
const PDF = simplePdf("Fiche d'exercices — fractions", ['Exercice 1.']);

beforeAll(async () => {
  t = await buildTestApp();
  s = await createSchoolFixture(t.deps.database.db, { passwordHash: await hashPassword(FIXTURE_PASSWORD) });
});
afterAll(() => t.close());

const as = browsers(() => t.app, FIXTURE_PASSWORD);
const teacher = () => as('karim.benali');
const lea = () => as('lea.martin');

async function upload(c: Client, bytes: Buffer, filename: string, query = '') {
  return c.request({ method: 'POST', url: `/api/files${query}`, ...multipartBody({ filename, bytes }) });
}
async function json(c: Client, method: string, url: string, payload?: unknown) {
  return c.request({ method, url, ...(payload === undefined ? {} : { payload: payload as string }) });
}
async function blobCount(): Promise<number> {
  const entries = await readdir(path.join(t.deps.config.dataDir, 'blobs'), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).length;
}
async function fileRows(): Promise<number> {
  const row = await t.deps.database.db.selectFrom('files').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('POST /api/files (the generic upload)', () => {
  it('stores a PDF for its owner (201) with the sniffed type and a safe name', async () => {
    const res = await upload(await lea(), PDF, '../../Mon devoir.pdf');
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ name: 'Mon devoir.pdf', size: PDF.length, contentType: 'application/pdf', folderId: null });
  });

  it('refuses an anonymous upload (401)', async () => {
    const res = await new Client(t.app).request({ method: 'POST', url: '/api/files', ...multipartBody({ filename: 'a.pdf', bytes: PDF }) });
    expect(res.statusCode).toBe(401);
  });

  it('refuses a file over 20 Mo (413) and keeps nothing, neither blob nor row', async () => {
    const [blobs, rows] = [await blobCount(), await fileRows()];
    const res = await upload(await teacher(), pngOfSize(MAX_FILE_BYTES + 1), 'immense.png');
    expect(res.statusCode).toBe(413);
    expect(res.json().error.message).toBe('Le fichier dépasse la taille maximale autorisée (20 Mo par fichier).');
    expect([await blobCount(), await fileRows()]).toEqual([blobs, rows]);
  });

  it('refuses an executable (415) naming the accepted formats, and keeps nothing', async () => {
    const [blobs, rows] = [await blobCount(), await fileRows()];
    const res = await upload(await teacher(), Buffer.concat([EXE_HEAD, randomBytes(1000)]), 'cours.pdf');
    expect(res.statusCode).toBe(415);
    expect(res.json().error.message).toMatch(/^Type de fichier non accepté \(exe\)\. Formats acceptés : PDF, images/);
    expect([await blobCount(), await fileRows()]).toEqual([blobs, rows]);
  });

  it('answers 400 for a request without a file, or an invalid folder id', async () => {
    const c = await teacher();
    expect((await c.request({ method: 'POST', url: '/api/files', ...multipartBody(null, { note: 'x' }) })).statusCode).toBe(400);
    expect((await upload(c, PDF, 'a.pdf', '?folderId=pas-un-uuid')).statusCode).toBe(400);
  });

  it('answers 404 for an unknown folder, or another person’s folder', async () => {
    const c = await teacher();
    expect((await upload(c, PDF, 'a.pdf', '?folderId=00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    const other = await json(await as('anne.bernard'), 'POST', '/api/documents/folders', { name: 'Français' });
    expect(other.statusCode).toBe(201);
    expect((await upload(c, PDF, 'a.pdf', `?folderId=${other.json().id}`)).statusCode).toBe(404);
  });

  it('counts the quota per person and says how much is left (413)', async () => {
    const parent = await as('sophie.martin');
    // Fill the parent's 100 Mo almost entirely, straight in the table (same blob).
    const filler = await upload(parent, textFile(['rempli']), 'rempli.txt');
    const sha256 = createHash('sha256').update(textFile(['rempli'])).digest('hex');
    await t.deps.database.db
      .insertInto('files')
      .values({ owner_id: s.users.parentLea, school_id: s.schoolA, sha256, size: 100 * 1024 * 1024 - 1024 * 1024 - 200, content_type: 'text/plain', name: 'gros.txt' })
      .execute();
    expect(filler.statusCode).toBe(201);
    const res = await upload(parent, pngOfSize(2 * 1024 * 1024), 'photo.png');
    expect(res.statusCode).toBe(413);
    expect(res.json().error.message).toBe(
      'Ce fichier dépasse la place qui vous reste : 1 Mo sur 100 Mo. Supprimez des fichiers pour libérer de la place.',
    );
    expect((await upload(parent, pngOfSize(500 * 1024), 'petite.png')).statusCode).toBe(201);
  });
});

describe('a teacher’s folders, files and shares', () => {
  let folderId: string;
  let fileId: string;

  it('creates a folder (201), refuses a duplicate name (409) and a pupil (403)', async () => {
    const c = await teacher();
    const res = await json(c, 'POST', '/api/documents/folders', { name: '  Fractions ' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ name: 'Fractions', parentId: null });
    folderId = res.json().id;
    const again = await json(c, 'POST', '/api/documents/folders', { name: 'fractions' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/existe déjà/);
    expect((await json(await lea(), 'POST', '/api/documents/folders', { name: 'Moi' })).statusCode).toBe(403);
    expect((await json(c, 'POST', '/api/documents/folders', { name: '' })).statusCode).toBe(400);
  });

  it('uploads into the folder and lists it in the library with the quota and shareable classes', async () => {
    const c = await teacher();
    const res = await upload(c, PDF, 'Fiche.pdf', `?folderId=${folderId}`);
    expect(res.statusCode).toBe(201);
    fileId = res.json<TFile>().id;
    const library = (await c.get('/api/documents')).json<TLibrary>();
    expect(library.files.find((f) => f.id === fileId)).toMatchObject({ folderId, shares: [] });
    expect(library.folders.map((f) => f.name)).toEqual(['Fractions']);
    expect(library.quota).toEqual({ usedBytes: PDF.length, limitBytes: 500 * 1024 * 1024, maxFileBytes: MAX_FILE_BYTES });
    expect(library.classes.map((c) => c.name)).toEqual(['5e B', '6e A']);
    expect(library.canShare).toBe(true);
  });

  it('shares the file with 6e A: Léa sees it and downloads the exact bytes', async () => {
    const res = await json(await teacher(), 'PUT', `/api/documents/files/${fileId}/shares`, { classIds: [s.class6A] });
    expect(res.statusCode).toBe(200);
    expect(res.json().shares).toMatchObject([{ classId: s.class6A, className: '6e A' }]);
    const shared = (await (await lea()).get('/api/documents/shared')).json<TSharedDocuments>();
    expect(shared.classes).toMatchObject([{ name: '6e A', groups: [{ path: null, files: [{ id: fileId, name: 'Fiche.pdf', sharedBy: { firstName: 'Karim', lastName: 'Benali' } }] }] }]);
    const download = await (await lea()).get(`/api/documents/files/${fileId}/content`);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(PDF)).toBe(true);
    expect(download.headers['content-disposition']).toBe(`attachment; filename="Fiche.pdf"; filename*=UTF-8''Fiche.pdf`);
    expect((await (await as('sophie.martin')).get(`/api/documents/files/${fileId}/content`)).statusCode).toBe(200);
  });

  it('shows a colleague teaching 6e A the shared file, but not its owner (it is in his library)', async () => {
    const colleague = (await (await as('anne.bernard')).get('/api/documents/shared')).json<TSharedDocuments>();
    expect(colleague.classes.flatMap((c) => c.groups.flatMap((g) => g.files.map((f) => f.id)))).toEqual([fileId]);
    expect((await (await teacher()).get('/api/documents/shared')).json()).toEqual({ classes: [] });
  });

  it('hides the file from a pupil of another class and from another school (404)', async () => {
    expect((await (await as('hugo.bernard')).get(`/api/documents/files/${fileId}/content`)).statusCode).toBe(404);
    expect((await (await as('marc.leroy')).get(`/api/documents/files/${fileId}/content`)).statusCode).toBe(404);
    expect((await (await as('hugo.bernard')).get('/api/documents/shared')).json()).toEqual({ classes: [] });
  });

  it('lets the school’s staff download it, and serves ranges and 304', async () => {
    const c = await as('claire.dubois');
    expect((await c.get(`/api/documents/files/${fileId}/content`)).statusCode).toBe(200);
    const range = await c.request({ method: 'GET', url: `/api/documents/files/${fileId}/content`, headers: { range: 'bytes=0-7' } });
    expect(range.statusCode).toBe(206);
    expect(range.payload).toBe('%PDF-1.4');
    const etag = range.headers.etag as string;
    expect((await c.request({ method: 'GET', url: `/api/documents/files/${fileId}/content`, headers: { 'if-none-match': etag } })).statusCode).toBe(304);
  });

  it('refuses sharing with a class the teacher does not teach (403), an unknown or other school’s class (404)', async () => {
    const other = await as('anne.bernard'); // teaches 6e A only
    const own = (await upload(other, PDF, 'Dictée.pdf')).json<TFile>();
    expect((await json(other, 'PUT', `/api/documents/files/${own.id}/shares`, { classIds: [s.class5B] })).statusCode).toBe(403);
    expect((await json(other, 'PUT', `/api/documents/files/${own.id}/shares`, { classIds: [s.classB1] })).statusCode).toBe(404);
    expect((await json(other, 'PUT', `/api/documents/files/${own.id}/shares`, { classIds: ['00000000-0000-4000-8000-000000000000'] })).statusCode).toBe(404);
    expect((await json(other, 'PUT', `/api/documents/files/${own.id}/shares`, { classIds: 'x' })).statusCode).toBe(400);
  });

  it('refuses to share, rename or delete someone else’s file (403 when readable, 404 otherwise)', async () => {
    expect((await json(await lea(), 'PUT', `/api/documents/files/${fileId}/shares`, { classIds: [] })).statusCode).toBe(403);
    expect((await json(await lea(), 'PATCH', `/api/documents/files/${fileId}`, { name: 'pirate.pdf' })).statusCode).toBe(403);
    expect((await json(await as('hugo.bernard'), 'DELETE', `/api/documents/files/${fileId}`)).statusCode).toBe(404);
    expect((await json(await as('marc.leroy'), 'PATCH', `/api/documents/folders/${folderId}`, { name: 'x' })).statusCode).toBe(404);
  });

  it('unshares: the pupil no longer sees nor downloads it', async () => {
    const c = await teacher();
    const library = (await c.get('/api/documents')).json<TLibrary>();
    const share = library.files.find((f) => f.id === fileId)!.shares[0]!;
    expect((await json(await lea(), 'DELETE', `/api/documents/shares/${share.id}`)).statusCode).toBe(404);
    expect((await json(c, 'DELETE', `/api/documents/shares/${share.id}`)).statusCode).toBe(204);
    expect((await (await lea()).get('/api/documents/shared')).json()).toEqual({ classes: [] });
    expect((await (await lea()).get(`/api/documents/files/${fileId}/content`)).statusCode).toBe(404);
    expect((await json(c, 'DELETE', `/api/documents/shares/${share.id}`)).statusCode).toBe(404);
  });

  it('shares a folder: pupils see its files and subfolders, grouped by folder path', async () => {
    const c = await teacher();
    const sub = (await json(c, 'POST', '/api/documents/folders', { name: 'Corrigés', parentId: folderId })).json();
    await upload(c, textFile(['Corrigé']), 'Corrigé 1.txt', `?folderId=${sub.id}`);
    const res = await json(c, 'PUT', `/api/documents/folders/${folderId}/shares`, { classIds: [s.class6A, s.class5B] });
    expect(res.json().shares.map((x: { className: string }) => x.className)).toEqual(['5e B', '6e A']);
    const shared = (await (await lea()).get('/api/documents/shared')).json<TSharedDocuments>();
    expect(shared.classes[0]!.groups.map((g) => [g.path, g.files.map((f) => f.name)])).toEqual([
      [['Fractions'], ['Fiche.pdf']],
      [['Fractions', 'Corrigés'], ['Corrigé 1.txt']],
    ]);
    const hugo = (await (await as('hugo.bernard')).get(`/api/documents/shared?classId=${s.class5B}`)).json<TSharedDocuments>();
    expect(hugo.classes.map((x) => x.name)).toEqual(['5e B']);
    expect((await (await as('hugo.bernard')).get(`/api/documents/shared?classId=${s.class6A}`)).statusCode).toBe(404);
  });

  it('renames and moves a file, refusing a folder of someone else (404)', async () => {
    const c = await teacher();
    const res = await json(c, 'PATCH', `/api/documents/files/${fileId}`, { name: 'Fiche n°1 / fractions.pdf', folderId: null });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'fractions.pdf', folderId: null });
    const foreign = (await (await as('anne.bernard')).get('/api/documents')).json<TLibrary>().folders[0]!;
    expect((await json(c, 'PATCH', `/api/documents/files/${fileId}`, { folderId: foreign.id })).statusCode).toBe(404);
    expect((await json(c, 'PATCH', `/api/documents/files/${fileId}`, {})).statusCode).toBe(400);
  });

  it('refuses to move a folder into its own subfolder (400)', async () => {
    const c = await teacher();
    const library = (await c.get('/api/documents')).json<TLibrary>();
    const sub = library.folders.find((f) => f.parentId === folderId)!;
    const res = await json(c, 'PATCH', `/api/documents/folders/${folderId}`, { parentId: sub.id });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/dans lui-même/);
  });

  it('deletes a folder with its files: the quota frees up and pupils lose access', async () => {
    const c = await teacher();
    const before = (await c.get('/api/documents')).json<TLibrary>();
    expect((await json(c, 'DELETE', `/api/documents/folders/${folderId}`)).statusCode).toBe(204);
    const after = (await c.get('/api/documents')).json<TLibrary>();
    expect(after.folders).toEqual([]);
    expect(after.files.map((f) => f.name)).toEqual(['fractions.pdf']);
    expect(after.quota.usedBytes).toBeLessThan(before.quota.usedBytes);
    expect((await (await lea()).get('/api/documents/shared')).json()).toEqual({ classes: [] });
    expect((await json(c, 'DELETE', `/api/documents/folders/${folderId}`)).statusCode).toBe(404);
  });

  it('deletes a file (204); its download is then 404', async () => {
    const c = await teacher();
    expect((await json(c, 'DELETE', `/api/documents/files/${fileId}`)).statusCode).toBe(204);
    expect((await c.get(`/api/documents/files/${fileId}/content`)).statusCode).toBe(404);
    expect((await c.get('/api/documents/files/not-a-uuid/content')).statusCode).toBe(400);
  });
});
