/**
 * The default BlobStore: files on local disk, content-addressed by SHA-256 under
 * `<dir>/ab/cd/<hash>` (two levels of 256 folders keep every folder small).
 *
 * put() streams the upload into a temporary file inside `dir` (same file system, so the final
 * rename is atomic) while hashing and counting; past `maxBytes` it stops, deletes the temporary
 * file and rejects with AppError PAYLOAD_TOO_LARGE. The file is fsynced before the rename and
 * the folder after it, so an acknowledged upload survives a crash. When the same contents are
 * already stored, the temporary file is simply dropped (deduplication) and the blob's
 * modification time is set to now, so the garbage collector's safety margin protects it while
 * its new record is written. Blobs are immutable: a reader never sees a half-written blob.
 *
 * Several processes may share `dir` (BLOBS_DIR: nodes of one machine): temporary names are
 * unique (UUID, created with O_EXCL), the rename is atomic, and two writers of the same name
 * write the same bytes. local-disk.test.ts checks it with two stores on one folder.
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readdir, rename, rm, stat, unlink, utimes } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { BlobRange, BlobStore, ListedBlob, StoredBlob } from './blob-store.ts';
import { spoolToFile } from './spool.ts';

const SHA256_HEX = /^[0-9a-f]{64}$/;
const TEMP_PREFIX = '.incoming-';

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

/** Sets a file's times to now; false when there is no such file. */
async function touch(file: string): Promise<boolean> {
  try {
    const moment = new Date();
    await utimes(file, moment, moment);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    // There, but another account's file (a folder shared by several services): keep it as is.
    if (['EPERM', 'EACCES'].includes((error as NodeJS.ErrnoException).code ?? '')) return true;
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
    const { sha256, size } = await spoolToFile(source, temp, { maxBytes, mode: 0o640, fsync: true });
    return { temp, sha256, size };
  }

  return {
    async put(source, { maxBytes }) {
      const { temp, sha256, size } = await writeTemp(source, maxBytes);
      try {
        const target = blobPath(sha256);
        if (await touch(target)) {
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

    async delete(sha256, options) {
      if (!SHA256_HEX.test(sha256)) return;
      const target = blobPath(sha256);
      const limit = options?.unlessModifiedAfter;
      if (limit === undefined) {
        await rm(target, { force: true });
        return;
      }
      // Moved aside first (atomic), then judged: a put() that refreshed the blob before the move
      // shows in its time and gets it back; a put() after the move finds nothing and writes its own.
      const aside = path.join(root, `${TEMP_PREFIX}removed-${randomUUID()}`);
      try {
        await rename(target, aside);
      } catch (error) {
        if (isNotFound(error)) return;
        throw error;
      }
      try {
        if ((await stat(aside)).mtimeMs > limit.getTime()) {
          await link(aside, target).catch((error: unknown) => {
            if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
          });
        }
      } finally {
        await rm(aside, { force: true });
      }
    },

    async *list(): AsyncIterable<ListedBlob> {
      // Folder by folder (ab/, then ab/cd/): never the whole tree in memory.
      const namesIn = (dir: string): Promise<string[]> =>
        readdir(dir).catch((error: unknown) => {
          if (isNotFound(error)) return [];
          throw error;
        });
      for (const first of await namesIn(root)) {
        if (!/^[0-9a-f]{2}$/.test(first)) continue;
        for (const second of await namesIn(path.join(root, first))) {
          if (!/^[0-9a-f]{2}$/.test(second)) continue;
          for (const name of await namesIn(path.join(root, first, second))) {
            if (!SHA256_HEX.test(name) || !name.startsWith(first + second)) continue;
            const info = await stat(blobPath(name)).catch((error: unknown) => {
              if (isNotFound(error)) return null; // deleted meanwhile
              throw error;
            });
            if (info?.isFile()) yield { sha256: name, size: info.size, modifiedAt: info.mtime };
          }
        }
      }
    },
  };
}
