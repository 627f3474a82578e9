/**
 * A BlobStore on an S3-compatible object store (AWS S3, MinIO, Garage, Ceph RGW, Scaleway,
 * OVHcloud…), through the official AWS SDK v3. Same contract as the local disk: content-addressed
 * (the object key is `<prefix><sha256>`), immutable objects, ranges for downloads.
 *
 * put() cannot know the key before the last byte (it is the hash of the contents), so the upload
 * is first spooled to a temporary file (bounded by maxBytes, hashed and counted on the way; past
 * maxBytes nothing reaches the bucket). Then one PutObject with Content-Length and Content-MD5 (the
 * store refuses bytes damaged on the way). Contents already in the bucket are not sent again,
 * unless the object is older than `refreshAfterMs`: then it is rewritten, so that its
 * LastModified says "in use right now" and the garbage collector's safety margin protects it
 * while its new record is being written (see blobs-gc.ts). Uploads are capped far below
 * PutObject's 5 GB limit, so no multipart upload is needed.
 *
 * The client asks for checksums only when an operation requires them
 * (requestChecksumCalculation / responseChecksumValidation 'WHEN_REQUIRED'): the SDK's default
 * since 2025 (CRC32 trailers in aws-chunked bodies) is refused by many S3-compatible stores;
 * Content-MD5 gives the same end-to-end check everywhere.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import type { BlobRange, BlobStore, ListedBlob } from './blob-store.ts';
import { AppError } from '../../shared/errors.ts';
import { spoolToFile } from './spool.ts';

const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface S3Settings {
  bucket: string;
  region: string;
  /** https://host[:port] of an S3-compatible store; null: AWS's own endpoint for the region. */
  endpoint: string | null;
  /** Both or neither; null: the SDK's default chain (environment, web identity, instance role…). */
  accessKeyId: string | null;
  secretAccessKey: string | null;
  /** bucket in the path (https://host/bucket/key) rather than in the host name: most self-hosted stores. */
  forcePathStyle: boolean;
}

/** An S3 client for `settings`, with the checksum and connection options every compatible store accepts. */
export function createS3Client(settings: S3Settings): S3Client {
  const config: S3ClientConfig = {
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // Downloads stream for as long as the person's connection needs: the default 50 sockets per
    // host would queue the 51st download behind the others.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000, httpAgent: { maxSockets: 512 }, httpsAgent: { maxSockets: 512 } },
    maxAttempts: 3,
  };
  if (settings.endpoint !== null) config.endpoint = settings.endpoint;
  if (settings.accessKeyId !== null && settings.secretAccessKey !== null) {
    config.credentials = { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey };
  }
  return new S3Client(config);
}

export interface S3StoreOptions {
  client: S3Client;
  bucket: string;
  /** Prepended to every key (e.g. `blobs/` when the bucket holds other things). Default ''. */
  prefix?: string;
  /** Where uploads are spooled before they are sent (default: the system's temporary folder). */
  spoolDir?: string;
  /** An existing object older than this is rewritten by put() (default 10 minutes; see above). */
  refreshAfterMs?: number;
  /** Current time in ms (tests). */
  now?: () => number;
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

/**
 * The store down, slow or throttling (5xx, SlowDown, a network error): AppError UNAVAILABLE, a 503
 * with Retry-After that the person can act on, the SDK's error kept as its cause for the logs.
 * 4xx answers go through unchanged: 404 and 416 are handled here, 403 is a configuration mistake.
 */
function storageError(error: unknown): Error {
  const status = statusOf(error);
  if (status !== undefined && status < 500 && status !== 429) return error instanceof Error ? error : new Error(String(error));
  return Object.assign(
    new AppError('UNAVAILABLE', { message: 'Le stockage des fichiers ne répond pas ; réessayez dans un instant.', retryAfterSeconds: 5 }),
    { cause: error },
  );
}

function isMissing(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === 'NoSuchKey' || name === 'NotFound' || statusOf(error) === 404;
}

interface Spooled {
  file: string;
  sha256: string;
  md5: string;
  size: number;
}

/** Streams `source` into a new file under `dir`, hashing and counting; removes it on any failure. */
async function spool(source: Readable, dir: string, maxBytes: number): Promise<Spooled> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `preau-upload-${randomUUID()}`);
  const { sha256, md5, size } = await spoolToFile(source, file, { maxBytes, mode: 0o600, md5: true });
  return { file, sha256, md5: md5 ?? '', size };
}

/** Bytes start..end (inclusive) of a blob from `source`, which begins at byte `sourceStart`. */
function slice(source: Readable, range: BlobRange, sourceStart: number): Readable {
  let position = sourceStart;
  const out = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const from = Math.max(0, range.start - position);
      const to = Math.min(chunk.length, range.end + 1 - position);
      position += chunk.length;
      if (to > from) this.push(chunk.subarray(from, to));
      if (position > range.end) {
        this.push(null);
        source.destroy();
      }
      callback();
    },
  });
  source.on('error', (error) => out.destroy(error));
  return source.pipe(out);
}

export function createS3Store(options: S3StoreOptions): BlobStore {
  const { client, bucket } = options;
  const prefix = options.prefix ?? '';
  const spoolDir = options.spoolDir ?? tmpdir();
  const refreshAfterMs = options.refreshAfterMs ?? 10 * 60_000;
  const now = options.now ?? Date.now;
  const keyOf = (sha256: string): string => `${prefix}${sha256}`;
  const send: S3Client['send'] = (command: Parameters<S3Client['send']>[0]) =>
    client.send(command).catch((error: unknown) => {
      throw storageError(error);
    });

  async function head(sha256: string): Promise<{ size: number; modifiedAt: Date } | null> {
    try {
      const out = await send(new HeadObjectCommand({ Bucket: bucket, Key: keyOf(sha256) }));
      return { size: out.ContentLength ?? 0, modifiedAt: out.LastModified ?? new Date(0) };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  return {
    async put(source, { maxBytes }) {
      const spooled = await spool(source, spoolDir, maxBytes);
      try {
        const existing = await head(spooled.sha256);
        const fresh = existing !== null && existing.size === spooled.size && now() - existing.modifiedAt.getTime() < refreshAfterMs;
        if (!fresh) {
          await send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: keyOf(spooled.sha256),
              Body: createReadStream(spooled.file),
              ContentLength: spooled.size,
              ContentMD5: spooled.md5,
              ContentType: 'application/octet-stream',
            }),
          );
        }
        return { sha256: spooled.sha256, size: spooled.size };
      } finally {
        await rm(spooled.file, { force: true });
      }
    },

    async get(sha256, range) {
      if (!SHA256_HEX.test(sha256)) return null;
      try {
        const out = await send(
          new GetObjectCommand({ Bucket: bucket, Key: keyOf(sha256), Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
        );
        const body = (out.Body as Readable | undefined) ?? Readable.from([]);
        if (!range) return body;
        // Trust the Content-Range the store answers, not the one we asked for: HTTP lets a server
        // ignore Range (200, everything), and s3rver answers bytes=0-0 with the whole object.
        const sent = /^bytes (\d+)-(\d+)\/(\d+)/.exec(out.ContentRange ?? '');
        const sentStart = sent ? Number(sent[1]) : 0;
        const sentEnd = sent ? Number(sent[2]) : Number.POSITIVE_INFINITY;
        const atEnd = sent !== null && sentEnd === Number(sent[3]) - 1; // a range past the end is cut there
        if (sentStart === range.start && (sentEnd === range.end || (atEnd && range.end > sentEnd))) return body;
        if (sentStart > range.start || (sentEnd < range.end && !atEnd)) {
          body.destroy();
          throw new Error(`Le stockage S3 a renvoyé la plage ${out.ContentRange ?? '(aucune)'} au lieu de ${range.start}-${range.end}.`);
        }
        return slice(body, range, sentStart);
      } catch (error) {
        if (isMissing(error)) return null;
        // A range past the end: no bytes, as the local disk answers (sendBlob checks ranges first).
        if (statusOf(error) === 416) return (await head(sha256)) === null ? null : Readable.from([]);
        throw error;
      }
    },

    async stat(sha256) {
      if (!SHA256_HEX.test(sha256)) return null;
      const found = await head(sha256);
      return found === null ? null : { size: found.size };
    },

    async delete(sha256, options) {
      if (!SHA256_HEX.test(sha256)) return;
      const limit = options?.unlessModifiedAfter;
      if (limit !== undefined) {
        const found = await head(sha256);
        if (found === null || found.modifiedAt.getTime() > limit.getTime()) return;
      }
      await send(new DeleteObjectCommand({ Bucket: bucket, Key: keyOf(sha256) }));
    },

    async *list(): AsyncIterable<ListedBlob> {
      let token: string | undefined;
      do {
        const page = await send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, ContinuationToken: token }));
        for (const item of page.Contents ?? []) {
          const sha256 = (item.Key ?? '').slice(prefix.length);
          if (SHA256_HEX.test(sha256)) yield { sha256, size: item.Size ?? 0, modifiedAt: item.LastModified ?? new Date(0) };
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
    },
  };
}
