import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chunked, describeBlobStoreContract, readAll } from './blob-store.contract.ts';
import { createLocalDiskStore } from './local-disk.ts';
import { formatMegabytes } from './too-large.ts';

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'preau-blobs-'));
}

/** Every file under `dir`, recursively, relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

describeBlobStoreContract('local disk', async () => {
  const dir = await tempDir();
  return { store: createLocalDiskStore(dir), dispose: () => rm(dir, { recursive: true, force: true }) };
});

describe('local disk store', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lays blobs out as ab/cd/<sha256> and leaves no temporary file', async () => {
    const store = createLocalDiskStore(path.join(dir, 'blobs')); // created on first put
    const bytes = Buffer.from('Liste du matériel\n');
    const { sha256 } = await store.put(chunked(bytes), { maxBytes: 1000 });
    expect(sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(await filesUnder(path.join(dir, 'blobs'))).toEqual([path.join(sha256.slice(0, 2), sha256.slice(2, 4), sha256)]);
    expect((await readFile(path.join(dir, 'blobs', sha256.slice(0, 2), sha256.slice(2, 4), sha256))).equals(bytes)).toBe(true);
  });

  it('keeps no file at all after a refused oversized upload', async () => {
    const store = createLocalDiskStore(dir);
    await expect(store.put(chunked(randomBytes(3 * 1024 * 1024), 64 * 1024), { maxBytes: 2 * 1024 * 1024 })).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'Le fichier dépasse la taille maximale autorisée (2 Mo).',
    });
    expect(await filesUnder(dir)).toEqual([]);
  });

  it('keeps no file when the source fails midway', async () => {
    const store = createLocalDiskStore(dir);
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(1000));
        this.destroy(new Error('connexion coupée'));
      },
    });
    await expect(store.put(failing, { maxBytes: 10_000 })).rejects.toThrow('connexion coupée');
    expect(await filesUnder(dir)).toEqual([]);
  });

  it('stores one file for many concurrent puts of the same contents', async () => {
    const store = createLocalDiskStore(dir);
    const bytes = randomBytes(100_000);
    await Promise.all(Array.from({ length: 6 }, () => store.put(chunked(bytes), { maxBytes: 200_000 })));
    expect(await filesUnder(dir)).toHaveLength(1);
  });

  it('lets two stores (two nodes) share one folder: same and different contents written at once', async () => {
    const nodeA = createLocalDiskStore(dir);
    const nodeB = createLocalDiskStore(dir);
    const shared = randomBytes(256 * 1024);
    const own = Array.from({ length: 12 }, () => randomBytes(40_000));
    const puts = [
      ...Array.from({ length: 6 }, (_, i) => (i % 2 ? nodeA : nodeB).put(chunked(shared, 4096), { maxBytes: 1_000_000 })),
      ...own.map((bytes, i) => (i % 2 ? nodeA : nodeB).put(chunked(bytes, 1000), { maxBytes: 1_000_000 })),
    ];
    const results = await Promise.all(puts);
    const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
    expect(results.map((r) => r.sha256)).toEqual([...Array.from({ length: 6 }, () => sha(shared)), ...own.map(sha)]);
    // One file per distinct contents, no temporary file left, and each node reads what the other wrote.
    expect(await filesUnder(dir)).toHaveLength(1 + own.length);
    expect((await readFile(path.join(dir, sha(shared).slice(0, 2), sha(shared).slice(2, 4), sha(shared)))).equals(shared)).toBe(true);
    for (const [i, bytes] of own.entries()) {
      const reader = i % 2 ? nodeB : nodeA;
      expect((await readAll((await reader.get(sha(bytes)))!)).equals(bytes)).toBe(true);
    }
    const listedByB = [];
    for await (const blob of nodeB.list()) listedByB.push(blob.sha256);
    expect(listedByB.sort()).toEqual([sha(shared), ...own.map(sha)].sort());
  });

  it('refreshes the time of a blob stored again (the garbage collector keeps fresh blobs)', async () => {
    const store = createLocalDiskStore(dir);
    const bytes = Buffer.from('Menu de la cantine');
    const { sha256 } = await store.put(chunked(bytes), { maxBytes: 100 });
    const file = path.join(dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
    const old = new Date(Date.now() - 3 * 3600_000);
    await utimes(file, old, old);
    await store.delete(sha256, { unlessModifiedAfter: new Date(Date.now() - 3600_000) }); // old: would go
    expect(await store.stat(sha256)).toBeNull();
    await store.put(chunked(bytes), { maxBytes: 100 });
    await utimes(file, old, old);
    await store.put(chunked(bytes), { maxBytes: 100 }); // uploaded again: now fresh
    expect((await stat(file)).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
    await store.delete(sha256, { unlessModifiedAfter: new Date(Date.now() - 3600_000) });
    expect(await store.stat(sha256)).toEqual({ size: bytes.length });
  });

  it('formats sizes in Mo the French way', () => {
    expect(formatMegabytes(20 * 1024 * 1024)).toBe('20 Mo');
    expect(formatMegabytes(1.5 * 1024 * 1024)).toBe('1,5 Mo');
    expect(formatMegabytes(300 * 1024)).toBe('0,2 Mo');
  });
});
