/**
 * The default BlobStore: files on local disk, content-addressed by SHA-256 under
 * `<dir>/ab/cd/<hash>` (two levels of 256 folders keep every folder small).
 *
 * put() streams the upload into a temporary file inside `dir` (same file system, so the final
 * rename is atomic) while hashing and counting; past `maxBytes` it stops, deletes the temporary
 * file and rejects with AppError PAYLOAD_TOO_LARGE. The file is fsynced before the rename and
 * the folder after it, so an acknowledged upload survives a crash. When the same contents are
 * already stored, the temporary file is simply dropped (deduplication). Blobs are immutable:
 * a reader never sees a half-written blob.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { BlobRange, BlobStore, StoredBlob } from './blob-store.ts';
import { fileTooLarge } from './too-large.ts';

const SHA256_HEX = /^[0-9a-f]{64}$/;
const TEMP_PREFIX = '.incoming-';

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/** Makes a rename durable: fsync the folder that holds the new entry. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * A BlobStore on local disk under `dir` (created when missing). Safe for several processes on
 * the same machine sharing the folder: every write goes through its own temporary file and an
 * atomic rename.
 */
export function createLocalDiskStore(dir: string): BlobStore {
  const root = path.resolve(dir);
  const blobPath = (sha256: string): string => path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  let rootReady: Promise<unknown> | null = null;

  async function writeTemp(source: Readable, maxBytes: number): Promise<{ temp: string } & StoredBlob> {
    rootReady ??= mkdir(root, { recursive: true });
    await rootReady;
    const temp = path.join(root, `${TEMP_PREFIX}${randomUUID()}`);
    const handle = await open(temp, 'wx', 0o640);
    const hash = createHash('sha256');
    let size = 0;
    try {
      for await (const chunk of source as AsyncIterable<Buffer | string>) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        size += bytes.length;
        if (size > maxBytes) throw fileTooLarge(maxBytes);
        hash.update(bytes);
        await handle.write(bytes);
      }
      await handle.sync();
    } catch (error) {
      await handle.close().catch(() => {});
      await rm(temp, { force: true });
      throw error;
    }
    await handle.close();
    return { temp, sha256: hash.digest('hex'), size };
  }

  return {
    async put(source, { maxBytes }) {
      const { temp, sha256, size } = await writeTemp(source, maxBytes);
      try {
        const target = blobPath(sha256);
        if (await exists(target)) {
          await unlink(temp);
        } else {
          await mkdir(path.dirname(target), { recursive: true });
          // Two concurrent puts of the same bytes both end here: rename replaces atomically with
          // identical contents, so either order is fine.
          await rename(temp, target);
          await syncDirectory(path.dirname(target));
        }
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
      return { sha256, size };
    },

    async get(sha256, range?: BlobRange) {
      if (!SHA256_HEX.test(sha256)) return null;
      let handle;
      try {
        handle = await open(blobPath(sha256), 'r');
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
      // The stream owns the handle and closes it when done or destroyed.
      return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
    },

    async stat(sha256) {
      if (!SHA256_HEX.test(sha256)) return null;
      try {
        const info = await stat(blobPath(sha256));
        return { size: info.size };
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },

    async delete(sha256) {
      if (!SHA256_HEX.test(sha256)) return;
      await rm(blobPath(sha256), { force: true });
    },
  };
}
