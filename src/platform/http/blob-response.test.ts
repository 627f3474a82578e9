import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredBlob } from '../storage/blob-store.ts';
import { createLocalDiskStore } from '../storage/local-disk.ts';
import { contentDisposition, parseRange, sendBlob } from './blob-response.ts';
import { registerErrorHandling } from './errors.ts';

const CONTENT = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz');
const NAME = "Fiche d'exercices — fractions (6e).pdf";

describe('sendBlob', () => {
  let app: FastifyInstance;
  let dir: string;
  let blob: StoredBlob;
  let empty: StoredBlob;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'preau-blob-response-'));
    const store = createLocalDiskStore(dir);
    blob = await store.put(Readable.from([CONTENT]), { maxBytes: 1000 });
    empty = await store.put(Readable.from([]), { maxBytes: 1000 });
    app = Fastify();
    registerErrorHandling(app);
    app.get('/file', (request, reply) => sendBlob(request, reply, store, { ...blob, contentType: 'application/pdf', name: NAME }));
    app.get('/empty', (request, reply) => sendBlob(request, reply, store, { ...empty, contentType: 'text/plain; charset=utf-8', name: 'vide.txt' }));
    app.get('/image', (request, reply) => sendBlob(request, reply, store, { ...blob, contentType: 'image/png', name: 'a.png', disposition: 'inline' }));
    app.get('/gone', (request, reply) => sendBlob(request, reply, store, { sha256: 'f'.repeat(64), size: 10, contentType: 'application/pdf', name: 'x.pdf' }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('streams the whole file with download, caching and safety headers', async () => {
    const response = await app.inject({ method: 'GET', url: '/file' });
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload.equals(CONTENT)).toBe(true);
    expect(response.headers).toMatchObject({
      'content-type': 'application/pdf',
      'content-length': String(CONTENT.length),
      etag: `"${blob.sha256}"`,
      'cache-control': 'private, max-age=0, must-revalidate',
      'x-content-type-options': 'nosniff',
      'accept-ranges': 'bytes',
      'content-disposition': `attachment; filename="Fiche d'exercices - fractions (6e).pdf"; filename*=UTF-8''Fiche%20d%27exercices%20%E2%80%94%20fractions%20%286e%29.pdf`,
    });
  });

  it('answers 304 with no body when the ETag matches', async () => {
    for (const tag of [`"${blob.sha256}"`, `"other", W/"${blob.sha256}"`, '*']) {
      const response = await app.inject({ method: 'GET', url: '/file', headers: { 'if-none-match': tag } });
      expect(response.statusCode).toBe(304);
      expect(response.rawPayload.length).toBe(0);
      expect(response.headers.etag).toBe(`"${blob.sha256}"`);
    }
    expect((await app.inject({ method: 'GET', url: '/file', headers: { 'if-none-match': '"autre"' } })).statusCode).toBe(200);
  });

  it('serves one byte range with 206 and Content-Range', async () => {
    const cases: Array<[string, string, string]> = [
      ['bytes=0-9', '0123456789', 'bytes 0-9/36'],
      ['bytes=30-', 'uvwxyz', 'bytes 30-35/36'],
      ['bytes=-4', 'wxyz', 'bytes 32-35/36'],
      ['bytes=34-100', 'yz', 'bytes 34-35/36'],
    ];
    for (const [range, body, contentRange] of cases) {
      const response = await app.inject({ method: 'GET', url: '/file', headers: { range } });
      expect(response.statusCode).toBe(206);
      expect(response.payload).toBe(body);
      expect(response.headers['content-range']).toBe(contentRange);
      expect(response.headers['content-length']).toBe(String(body.length));
    }
  });

  it('answers 416 for a range outside the file', async () => {
    for (const range of ['bytes=36-', 'bytes=100-200', 'bytes=-0']) {
      const response = await app.inject({ method: 'GET', url: '/file', headers: { range } });
      expect(response.statusCode).toBe(416);
      expect(response.headers['content-range']).toBe('bytes */36');
    }
    expect((await app.inject({ method: 'GET', url: '/empty', headers: { range: 'bytes=0-' } })).statusCode).toBe(416);
  });

  it('sends the whole file for several ranges, bad syntax or a stale If-Range', async () => {
    for (const headers of [{ range: 'bytes=0-1,4-5' }, { range: 'items=0-1' }, { range: 'bytes=5-1' }, { range: 'bytes=0-1', 'if-range': '"stale"' }]) {
      const response = await app.inject({ method: 'GET', url: '/file', headers });
      expect(response.statusCode).toBe(200);
      expect(response.payload).toBe(CONTENT.toString());
    }
    const fresh = await app.inject({ method: 'GET', url: '/file', headers: { range: 'bytes=0-1', 'if-range': `"${blob.sha256}"` } });
    expect(fresh.statusCode).toBe(206);
  });

  it('answers HEAD with the headers and no body', async () => {
    const response = await app.inject({ method: 'HEAD', url: '/file' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-length']).toBe(String(CONTENT.length));
    expect(response.rawPayload.length).toBe(0);
  });

  it('serves an empty file and an inline image', async () => {
    const response = await app.inject({ method: 'GET', url: '/empty' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-length']).toBe('0');
    const image = await app.inject({ method: 'GET', url: '/image' });
    expect(image.headers['content-disposition']).toMatch(/^inline; filename="a.png"/);
  });

  it('answers a clean 404 when the contents are missing from the store', async () => {
    const response = await app.inject({ method: 'GET', url: '/gone' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-disposition']).toBeUndefined();
    expect(response.json().error.message).toMatch(/introuvable/);
  });
});

describe('parseRange and contentDisposition', () => {
  it('reads single byte ranges', () => {
    expect(parseRange(undefined, 10)).toEqual({ kind: 'whole' });
    expect(parseRange('bytes=2-4', 10)).toEqual({ kind: 'partial', range: { start: 2, end: 4 } });
    expect(parseRange('bytes=-20', 10)).toEqual({ kind: 'partial', range: { start: 0, end: 9 } });
    expect(parseRange('bytes=-', 10)).toEqual({ kind: 'whole' });
  });

  it('escapes quotes and keeps non-ASCII names in filename*', () => {
    expect(contentDisposition('a"b\\c.txt')).toBe(`attachment; filename="a_b_c.txt"; filename*=UTF-8''a%22b%5Cc.txt`);
    expect(contentDisposition('数学.pdf')).toBe(`attachment; filename="__.pdf"; filename*=UTF-8''%E6%95%B0%E5%AD%A6.pdf`);
  });
});
