/**
 * The behaviour every BlobStore implementation must have. local-disk.test.ts runs this suite;
 * any later adapter (S3-compatible, shared folder) runs the same one so they cannot drift apart.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import type { BlobStore } from './blob-store.ts';

export interface BlobStoreHarness {
  store: BlobStore;
  /** Releases whatever the harness created (folders, buckets). */
  dispose(): Promise<void>;
}

const sha256Of = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** A stream that yields `bytes` in chunks of `chunkSize`, like a network upload. */
export function chunked(bytes: Buffer, chunkSize = 16 * 1024): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= bytes.length) {
        this.push(null);
        return;
      }
      this.push(bytes.subarray(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export function describeBlobStoreContract(name: string, open: () => Promise<BlobStoreHarness>): void {
  describe(`BlobStore contract: ${name}`, () => {
    let harness: BlobStoreHarness;
    let store: BlobStore;
    beforeEach(async () => {
      harness = await open();
      store = harness.store;
    });
    afterEach(async () => {
      await harness.dispose();
    });

    it('stores streamed bytes under their SHA-256 and gives them back whole', async () => {
      const bytes = randomBytes(300_000);
      const stored = await store.put(chunked(bytes), { maxBytes: 1_000_000 });
      expect(stored).toEqual({ sha256: sha256Of(bytes), size: bytes.length });
      const back = await store.get(stored.sha256);
      expect(back).not.toBeNull();
      expect((await readAll(back!)).equals(bytes)).toBe(true);
      expect(await store.stat(stored.sha256)).toEqual({ size: bytes.length });
    });

    it('accepts exactly maxBytes and an empty file', async () => {
      const bytes = randomBytes(1000);
      expect((await store.put(chunked(bytes, 100), { maxBytes: 1000 })).size).toBe(1000);
      const empty = await store.put(Readable.from([]), { maxBytes: 10 });
      expect(empty).toEqual({ sha256: sha256Of(Buffer.alloc(0)), size: 0 });
      expect((await readAll((await store.get(empty.sha256))!)).length).toBe(0);
    });

    it('stores the same contents once (deduplication)', async () => {
      const bytes = Buffer.from('Fiche d’exercices — fractions\n'.repeat(100));
      const first = await store.put(chunked(bytes, 7), { maxBytes: 10_000 });
      const second = await store.put(chunked(bytes, 1000), { maxBytes: 10_000 });
      expect(second).toEqual(first);
      expect((await readAll((await store.get(first.sha256))!)).equals(bytes)).toBe(true);
    });

    it('refuses more than maxBytes with PAYLOAD_TOO_LARGE and keeps nothing', async () => {
      const bytes = randomBytes(50_000);
      const error = await store.put(chunked(bytes, 4096), { maxBytes: 49_999 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('PAYLOAD_TOO_LARGE');
      expect((error as AppError).message).toMatch(/Mo/);
      expect(await store.stat(sha256Of(bytes))).toBeNull();
      expect(await store.get(sha256Of(bytes))).toBeNull();
    });

    it('serves inclusive byte ranges', async () => {
      const bytes = Buffer.from('0123456789abcdefghij');
      const { sha256 } = await store.put(chunked(bytes, 3), { maxBytes: 100 });
      expect((await readAll((await store.get(sha256, { start: 0, end: 0 }))!)).toString()).toBe('0');
      expect((await readAll((await store.get(sha256, { start: 5, end: 9 }))!)).toString()).toBe('56789');
      expect((await readAll((await store.get(sha256, { start: 15, end: 19 }))!)).toString()).toBe('fghij');
      // Past the end: cut at the last byte (callers check ranges against the size first).
      expect((await readAll((await store.get(sha256, { start: 15, end: 30 }))!)).toString()).toBe('fghij');
    });

    it('answers null for a missing blob or a key that is not a SHA-256', async () => {
      const missing = sha256Of(Buffer.from('never stored'));
      expect(await store.get(missing)).toBeNull();
      expect(await store.get(missing, { start: 0, end: 3 })).toBeNull();
      expect(await store.stat(missing)).toBeNull();
      expect(await store.get('../../etc/passwd')).toBeNull();
      expect(await store.stat('ABC')).toBeNull();
      await expect(store.delete(missing)).resolves.toBeUndefined();
    });

    it('keeps one intact copy when the same contents are put concurrently', async () => {
      const bytes = randomBytes(200_000);
      const results = await Promise.all(Array.from({ length: 8 }, () => store.put(chunked(bytes, 8192), { maxBytes: 1_000_000 })));
      for (const result of results) expect(result).toEqual({ sha256: sha256Of(bytes), size: bytes.length });
      expect((await readAll((await store.get(sha256Of(bytes)))!)).equals(bytes)).toBe(true);
    });

    it('lists every stored blob with its size and the time it was written', async () => {
      const before = Date.now() - 5_000; // object stores keep whole seconds
      const a = await store.put(chunked(Buffer.from('cahier de textes')), { maxBytes: 100 });
      const b = await store.put(Readable.from([]), { maxBytes: 100 });
      const listed = [];
      for await (const blob of store.list()) listed.push(blob);
      expect(listed.map((x) => x.sha256).sort()).toEqual([a.sha256, b.sha256].sort());
      for (const blob of listed) {
        expect(blob.size).toBe(blob.sha256 === a.sha256 ? a.size : 0);
        expect(blob.modifiedAt.getTime()).toBeGreaterThanOrEqual(before);
        expect(blob.modifiedAt.getTime()).toBeLessThanOrEqual(Date.now() + 5_000);
      }
    });

    it('keeps a blob written after the limit given to delete (garbage collection)', async () => {
      const { sha256 } = await store.put(chunked(Buffer.from('devoir rendu')), { maxBytes: 100 });
      await store.delete(sha256, { unlessModifiedAfter: new Date(Date.now() - 60_000) });
      expect(await store.stat(sha256)).not.toBeNull();
      await store.delete(sha256, { unlessModifiedAfter: new Date(Date.now() + 60_000) });
      expect(await store.stat(sha256)).toBeNull();
      await expect(store.delete(sha256, { unlessModifiedAfter: new Date() })).resolves.toBeUndefined();
    });

    it('deletes a blob', async () => {
      const { sha256 } = await store.put(chunked(Buffer.from('à supprimer')), { maxBytes: 100 });
      await store.delete(sha256);
      expect(await store.stat(sha256)).toBeNull();
      expect(await store.get(sha256)).toBeNull();
    });
  });
}
