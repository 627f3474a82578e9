import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickEncoding, registerStaticShell } from './static-shell.ts';

const INDEX = `<!doctype html><html lang="fr"><head><title>Préau</title></head><body><div id="app"></div>${'<!-- padding -->'.repeat(40)}</body></html>`;
const SCRIPT = `export const hello = ${JSON.stringify('bonjour '.repeat(200))};`;

function makeDist(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'preau-dist-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), INDEX);
  writeFileSync(path.join(dir, 'assets', 'index-AbC123.js'), SCRIPT);
  writeFileSync(path.join(dir, 'assets', 'tiny-X1.css'), 'a{}');
  writeFileSync(path.join(dir, 'robots.txt'), 'User-agent: *\n');
  return dir;
}

async function makeApp(distDir: string): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.get('/api/ping', async () => ({ ok: true }));
  app.get('/health', async () => ({ status: 'ok' }));
  app.setNotFoundHandler((_request, reply) => {
    void reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'Route introuvable.' } });
  });
  await registerStaticShell(app, { distDir });
  await app.ready();
  return app;
}

describe('static shell', () => {
  let dist: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    dist = makeDist();
    app = await makeApp(dist);
    // Proves there is no per-request file system access: the files are gone, the app still serves them.
    rmSync(path.join(dist, 'assets'), { recursive: true });
  });
  afterAll(async () => {
    await app.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('serves hashed assets as immutable, with a strong etag, from memory', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/index-AbC123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body).toBe(SCRIPT);
  });

  it('prefers brotli, then gzip, and says it varies on accept-encoding', async () => {
    const br = await app.inject({ url: '/assets/index-AbC123.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('accept-encoding');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(SCRIPT);
    expect(Number(br.headers['content-length'])).toBe(br.rawPayload.length);

    const gz = await app.inject({ url: '/assets/index-AbC123.js', headers: { 'accept-encoding': 'gzip, br;q=0' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(SCRIPT);
    expect(gz.headers.etag).not.toBe(br.headers.etag);
  });

  it('answers 304 when If-None-Match matches the etag', async () => {
    const first = await app.inject({ url: '/assets/index-AbC123.js', headers: { 'accept-encoding': 'br' } });
    const etag = String(first.headers.etag);
    const second = await app.inject({ url: '/assets/index-AbC123.js', headers: { 'accept-encoding': 'br', 'if-none-match': etag } });
    expect(second.statusCode).toBe(304);
    expect(second.body).toBe('');
    const weak = await app.inject({ url: '/assets/index-AbC123.js', headers: { 'if-none-match': `W/${etag}, "other"` } });
    expect(weak.statusCode).toBe(304);
    const other = await app.inject({ url: '/assets/index-AbC123.js', headers: { 'if-none-match': '"nope"' } });
    expect(other.statusCode).toBe(200);
  });

  it('does not compress tiny files', async () => {
    const res = await app.inject({ url: '/assets/tiny-X1.css', headers: { 'accept-encoding': 'br, gzip' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.vary).toBeUndefined();
    expect(res.body).toBe('a{}');
  });

  it('serves index.html and other root files with no-cache', async () => {
    for (const url of ['/', '/index.html']) {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toBe(INDEX);
    }
    const robots = await app.inject({ url: '/robots.txt' });
    expect(robots.headers['cache-control']).toBe('no-cache');
    expect(robots.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('falls back to index.html for client routes (SPA), query string included', async () => {
    for (const url of ['/connexion?suivant=%2Fclasses%2F1', '/classes/3f1c', '/admin/abc/import', '/compte/sessions']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toBe(INDEX);
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('answers HEAD like GET, without a body', async () => {
    const res = await app.inject({ method: 'HEAD', url: '/assets/index-AbC123.js', headers: { 'accept-encoding': 'gzip' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.body).toBe('');
    const page = await app.inject({ method: 'HEAD', url: '/classes/1' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
  });

  it('answers 404 in the house JSON format for unknown files with an extension', async () => {
    for (const url of ['/assets/missing-123.js', '/favicon.ico', '/x/y.png']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'Fichier introuvable.' } });
    }
  });

  it('leaves /api/ and probes to the server: real routes answer, unknown ones get the app 404', async () => {
    expect((await app.inject({ url: '/api/ping' })).json()).toEqual({ ok: true });
    expect((await app.inject({ url: '/health' })).json()).toEqual({ status: 'ok' });
    for (const url of ['/api/nope', '/api', '/ready', '/metrics']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'Route introuvable.' } });
    }
  });
});

describe('static shell without a build', () => {
  it('serves a French page that says how to build the web app', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'preau-empty-'));
    const app = await makeApp(path.join(empty, 'does-not-exist'));
    try {
      const res = await app.inject({ url: '/', headers: { 'accept-encoding': 'br' } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-cache');
      const html = brotliDecompressSync(res.rawPayload).toString();
      expect(html).toContain('lang="fr"');
      expect(html).toContain('npm run build');
      expect((await app.inject({ url: '/connexion' })).statusCode).toBe(200);
      expect((await app.inject({ url: '/assets/app.js' })).statusCode).toBe(404);
    } finally {
      await app.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('pickEncoding', () => {
  it('honours preferences and refusals', () => {
    const all = ['identity', 'br', 'gzip'] as const;
    expect(pickEncoding(undefined, all)).toBe('identity');
    expect(pickEncoding('gzip', all)).toBe('gzip');
    expect(pickEncoding('br;q=0, gzip;q=0.5', all)).toBe('gzip');
    expect(pickEncoding('*', all)).toBe('br');
    expect(pickEncoding('*;q=0', all)).toBe('identity');
    expect(pickEncoding('br', ['identity'])).toBe('identity');
  });
});
