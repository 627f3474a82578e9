import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlobStore } from '../storage/blob-store.ts';
import { createLocalDiskStore } from '../storage/local-disk.ts';
import { registerErrorHandling } from './errors.ts';
import { EXE_HEAD, multipartBody, PDF_BYTES, PNG_HEAD, pngOfSize } from './multipart.test-support.ts';
import { describeUploadTypes, receiveUpload, safeFileName, UPLOAD_TYPES } from './uploads.ts';

const LIMIT = 100_000;

async function blobFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

describe('receiveUpload', () => {
  let app: FastifyInstance;
  let dir: string;
  let store: BlobStore;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'preau-uploads-'));
    store = createLocalDiskStore(dir);
    app = Fastify({ forceCloseConnections: 'idle' }); // like app.ts: a stuck upload would hang close()
    registerErrorHandling(app);
    await app.register(multipart, { limits: { fileSize: 50 * 1024 * 1024, files: 1 } });
    app.post('/upload', async (request) => receiveUpload(request, { store, maxBytes: LIMIT }));
    app.post('/images', async (request) =>
      receiveUpload(request, { store, maxBytes: LIMIT, types: UPLOAD_TYPES.filter((t) => t.group === 'images'), tooLargeMessage: 'Il vous reste 0,1 Mo.' }),
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  const upload = (url: string, ...args: Parameters<typeof multipartBody>) => app.inject({ method: 'POST', url, ...multipartBody(...args) });

  it('stores a PDF under its SHA-256 with the sniffed type, whatever the browser claimed', async () => {
    const response = await upload('/upload', { filename: 'Fiche.pdf', contentType: 'image/png', bytes: PDF_BYTES }, { folderId: 'abc' });
    expect(response.statusCode).toBe(200);
    const sha256 = createHash('sha256').update(PDF_BYTES).digest('hex');
    expect(response.json()).toEqual({ sha256, size: PDF_BYTES.length, contentType: 'application/pdf', name: 'Fiche.pdf', fields: { folderId: 'abc' } });
    expect(await store.stat(sha256)).toEqual({ size: PDF_BYTES.length });
  });

  it('streams a file larger than the sniffing window intact', async () => {
    const bytes = pngOfSize(90_000);
    const response = await upload('/upload', { filename: 'photo.png', bytes });
    expect(response.json()).toMatchObject({ contentType: 'image/png', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  });

  it('recognises UTF-8 text, and CSV by its extension, with the charset', async () => {
    const txt = await upload('/upload', { filename: 'Liste du matériel.txt', bytes: Buffer.from('Cahier 24×32\nRègle\n') });
    expect(txt.json()).toMatchObject({ contentType: 'text/plain; charset=utf-8', name: 'Liste du matériel.txt' });
    const csv = await upload('/upload', { filename: 'notes.csv', bytes: Buffer.from('Nom;Note\nElève;12\n', 'latin1') });
    expect(csv.json()).toMatchObject({ contentType: 'text/csv; charset=windows-1252' });
  });

  it('refuses an executable with 415 naming the accepted formats, and stores nothing', async () => {
    const before = await blobFiles(dir);
    const response = await upload('/upload', { filename: 'devoir.pdf', contentType: 'application/pdf', bytes: EXE_HEAD });
    expect(response.statusCode).toBe(415);
    expect(response.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(response.json().error.message).toContain('Formats acceptés : PDF, images (png, jpg, jpeg, gif, webp), Office (docx, xlsx, pptx)');
    expect(await blobFiles(dir)).toEqual(before);
  });

  it('refuses a type outside a narrower allow-list', async () => {
    const response = await upload('/images', { filename: 'a.pdf', bytes: PDF_BYTES });
    expect(response.statusCode).toBe(415);
    expect(response.json().error.message).toBe('Type de fichier non accepté (pdf). Formats acceptés : images (png, jpg, jpeg, gif, webp).');
  });

  it('refuses a file over the limit with 413 in Mo and keeps nothing', async () => {
    const before = await blobFiles(dir);
    const response = await upload('/upload', { filename: 'gros.pdf', bytes: Buffer.concat([PDF_BYTES, randomBytes(LIMIT)]) });
    expect(response.statusCode).toBe(413);
    expect(response.json().error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: 'Le fichier dépasse la taille maximale autorisée (0 Mo).' });
    expect(await blobFiles(dir)).toEqual(before);
    const custom = await upload('/images', { filename: 'gros.png', bytes: pngOfSize(LIMIT + 1) });
    expect(custom.json().error.message).toBe('Il vous reste 0,1 Mo.');
  });

  it('accepts exactly the limit', async () => {
    const response = await upload('/upload', { filename: 'juste.png', bytes: pngOfSize(LIMIT) });
    expect(response.statusCode).toBe(200);
  });

  it('answers 400 without a file or outside multipart', async () => {
    const none = await upload('/upload', null, { folderId: 'x' });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.message).toMatch(/Aucun fichier reçu/);
    const json = await app.inject({ method: 'POST', url: '/upload', payload: { file: 'x' } });
    expect(json.statusCode).toBe(400);
    expect(json.json().error.message).toMatch(/multipart\/form-data/);
  });

  it('gives names the right extension and keeps accents', async () => {
    const response = await upload('/upload', { filename: 'C:\\Users\\élève\\photo', bytes: PNG_HEAD });
    expect(response.json().name).toBe('photo.png');
    const lying = await upload('/upload', { filename: 'rapport.pdf', bytes: PNG_HEAD });
    expect(lying.json().name).toBe('rapport.pdf.png');
  });

  it('over real HTTP, a client still sending a refused upload reads the error', async () => {
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    for (const [bytes, status] of [
      [Buffer.concat([PDF_BYTES, randomBytes(3 * 1024 * 1024)]), 413],
      [Buffer.concat([EXE_HEAD, randomBytes(3 * 1024 * 1024)]), 415],
    ] as const) {
      const form = new FormData();
      form.append('file', new Blob([bytes]), 'fichier.bin');
      const response = await fetch(`http://127.0.0.1:${port}/upload`, { method: 'POST', body: form });
      expect(response.status).toBe(status);
      expect(((await response.json()) as { error: { message: string } }).error.message).toBeTruthy();
    }
    // The server is still fine for the next upload on the same client.
    const form = new FormData();
    form.append('file', new Blob([PNG_HEAD]), 'ok.png');
    expect((await fetch(`http://127.0.0.1:${port}/upload`, { method: 'POST', body: form })).status).toBe(200);
  });
});

describe('safeFileName', () => {
  it('keeps the last path segment and strips control and bidi characters', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('a\u0000b\u001fc\u202egpj.exe')).toBe('abcgpj.exe');
    expect(safeFileName('  ..devoir?.pdf.. ')).toBe('devoir_.pdf');
    expect(safeFileName('Re:"note"<1>|*.txt')).toBe('Re__note__1___.txt');
  });

  it('normalises Unicode to NFC', () => {
    expect(safeFileName('e\u0301le\u0300ve.txt')).toBe('élève.txt');
  });

  it('cuts to 200 characters and keeps the extension', () => {
    const name = safeFileName(`${'é'.repeat(300)}.docx`);
    expect([...name]).toHaveLength(200);
    expect(name.endsWith('é.docx')).toBe(true);
    expect([...safeFileName('😀'.repeat(250))]).toHaveLength(200);
  });

  it('falls back to « fichier » when nothing is left', () => {
    expect(safeFileName('...', 'pdf')).toBe('fichier.pdf');
    expect(safeFileName('/')).toBe('fichier');
  });

  it('describes the accepted formats by group', () => {
    expect(describeUploadTypes()).toBe(
      'PDF, images (png, jpg, jpeg, gif, webp), Office (docx, xlsx, pptx), OpenDocument (odt, ods, odp), texte (txt, csv), audio (mp3, m4a), vidéo (mp4), archives (zip)',
    );
  });
});
