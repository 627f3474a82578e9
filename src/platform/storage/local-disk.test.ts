import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chunked, describeBlobStoreContract } from './blob-store.contract.ts';
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

  it('formats sizes in Mo the French way', () => {
    expect(formatMegabytes(20 * 1024 * 1024)).toBe('20 Mo');
    expect(formatMegabytes(1.5 * 1024 * 1024)).toBe('1,5 Mo');
    expect(formatMegabytes(300 * 1024)).toBe('0,2 Mo');
  });
});
