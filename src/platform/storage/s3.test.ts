import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunked, describeBlobStoreContract, readAll } from './blob-store.contract.ts';
import { createS3Client, createS3Store } from './s3.ts';
import { startFakeS3, type FakeS3 } from './s3rver.test-support.ts';
import { openBlobStore } from './index.ts';
import { loadConfig } from '../../config.ts';

// One s3rver for the file, on a free loopback port, its data in a temporary folder.
let fake: FakeS3;
let spoolDir: string;
let endpoint: string;

beforeAll(async () => {
  fake = await startFakeS3();
  endpoint = fake.endpoint;
  spoolDir = await mkdtemp(path.join(tmpdir(), 'preau-s3-spool-'));
});

afterAll(async () => {
  await fake?.stop();
  await rm(spoolDir, { recursive: true, force: true });
});

const client = (): S3Client => fake.client();
const freshBucket = (s3: S3Client): ReturnType<FakeS3['freshBucket']> => fake.freshBucket(s3);

describeBlobStoreContract('S3-compatible (s3rver)', async () => {
  const s3 = client();
  const { bucket, dispose } = await freshBucket(s3);
  return { store: createS3Store({ client: s3, bucket, spoolDir }), dispose };
});

describe('S3 store', () => {
  /** Counts the commands the client sends, by name. */
  function countCommands(s3: S3Client): Map<string, number> {
    const counts = new Map<string, number>();
    s3.middlewareStack.add(
      (next, context) => async (args) => {
        counts.set(context.commandName ?? '?', (counts.get(context.commandName ?? '?') ?? 0) + 1);
        return next(args);
      },
      { step: 'initialize' },
    );
    return counts;
  }

  it('uses the prefix for every key and leaves no spooled file behind', async () => {
    const s3 = client();
    const { bucket, dispose } = await freshBucket(s3);
    try {
      const store = createS3Store({ client: s3, bucket, prefix: 'blobs/', spoolDir });
      const bytes = randomBytes(70_000);
      const { sha256 } = await store.put(chunked(bytes), { maxBytes: 100_000 });
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
      expect(listed.Contents?.map((c) => c.Key)).toEqual([`blobs/${sha256}`]);
      expect((await readAll((await store.get(sha256, { start: 1000, end: 1999 }))!)).equals(bytes.subarray(1000, 2000))).toBe(true);
      await expect(store.put(chunked(randomBytes(2000)), { maxBytes: 1000 })).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
      await expect(store.put(new Readable({ read() { this.destroy(new Error('connexion coupée')); } }), { maxBytes: 1000 })).rejects.toThrow('connexion coupée');
      expect(await readdir(spoolDir)).toEqual([]);
      await dispose();
    } catch (error) {
      await dispose();
      throw error;
    }
  });

  it('sends nothing for contents already stored, unless the object is older than refreshAfterMs', async () => {
    const s3 = client();
    const { bucket, dispose } = await freshBucket(s3);
    try {
      const counts = countCommands(s3);
      let now = Date.now();
      const store = createS3Store({ client: s3, bucket, spoolDir, refreshAfterMs: 10 * 60_000, now: () => now });
      const bytes = Buffer.from('Emploi du temps de la 4e B');
      await store.put(chunked(bytes), { maxBytes: 1000 });
      await store.put(chunked(bytes), { maxBytes: 1000 });
      expect(counts.get('PutObjectCommand')).toBe(1);
      now += 11 * 60_000; // the stored object is now "old": rewritten so the GC margin covers it
      await store.put(chunked(bytes), { maxBytes: 1000 });
      expect(counts.get('PutObjectCommand')).toBe(2);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      expect((await readAll((await store.get(sha256))!)).equals(bytes)).toBe(true);
      await dispose();
    } catch (error) {
      await dispose();
      throw error;
    }
  });

  it('answers UNAVAILABLE (503, in French) when the store does not answer', async () => {
    const down = createS3Client({ bucket: '', region: 'eu-west-3', endpoint: 'http://127.0.0.1:9', accessKeyId: 'x', secretAccessKey: 'y', forcePathStyle: true });
    const store = createS3Store({ client: down, bucket: 'preau-absent', spoolDir });
    const unavailable = { code: 'UNAVAILABLE', message: 'Le stockage des fichiers ne répond pas ; réessayez dans un instant.', retryAfterSeconds: 5 };
    await expect(store.put(chunked(Buffer.from('x')), { maxBytes: 10 })).rejects.toMatchObject(unavailable);
    await expect(store.get('a'.repeat(64))).rejects.toMatchObject(unavailable);
    await expect(store.stat('a'.repeat(64))).rejects.toMatchObject(unavailable);
    expect(await readdir(spoolDir)).toEqual([]);
    down.destroy();
  });

  it('reports a missing bucket as an error, not as a missing blob', async () => {
    const s3 = client();
    const store = createS3Store({ client: s3, bucket: 'preau-absent', spoolDir });
    await expect(store.put(chunked(Buffer.from('x')), { maxBytes: 10 })).rejects.toThrow();
    s3.destroy();
  });
});

describe('openBlobStore', () => {
  it('opens the bucket that STORAGE=s3 and S3_* name', async () => {
    const s3 = client();
    const { bucket, dispose } = await freshBucket(s3);
    try {
      const config = loadConfig({
        STORAGE: 's3',
        S3_BUCKET: bucket,
        S3_REGION: 'us-east-1',
        S3_ENDPOINT: endpoint,
        S3_ACCESS_KEY_ID: 'S3RVER',
        S3_SECRET_ACCESS_KEY: 'S3RVER',
      });
      const store = await openBlobStore(config.storage);
      const { sha256 } = await store.put(chunked(Buffer.from('Carnet de liaison')), { maxBytes: 100 });
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
      expect(listed.Contents?.map((c) => c.Key)).toEqual([sha256]);
      await dispose();
    } catch (error) {
      await dispose();
      throw error;
    }
  });
});

