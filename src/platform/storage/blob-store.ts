/**
 * Where file contents live: behind one interface, content-addressed (the key is the SHA-256 of
 * the bytes, so the same file shared twice is stored once). Local disk by default
 * (local-disk.ts, under DATA_DIR/blobs, or BLOBS_DIR shared by several nodes on one machine); an
 * S3-compatible bucket for real deployments (s3.ts). Both run blob-store.contract.ts. Contents are streamed in and out, never
 * held whole in memory. Metadata (names, owners, sharing, quotas) lives in PostgreSQL, not here.
 */
import type { Readable } from 'node:stream';

export interface StoredBlob {
  /** Lowercase hex SHA-256 of the contents: the blob's key. */
  sha256: string;
  size: number;
}

export interface BlobRange {
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive. */
  end: number;
}

export interface ListedBlob extends StoredBlob {
  /** When the blob was last written (put() of existing contents may refresh it). */
  modifiedAt: Date;
}

export interface BlobStore {
  /**
   * Streams `source` into the store, hashing on the way. Rejects with AppError PAYLOAD_TOO_LARGE
   * (and keeps nothing) as soon as more than `maxBytes` arrive. Storing bytes that are already
   * there costs nothing more.
   */
  put(source: Readable, options: { maxBytes: number }): Promise<StoredBlob>;
  /** A stream of the contents (or of a byte range), or null when there is no such blob. */
  get(sha256: string, range?: BlobRange): Promise<Readable | null>;
  /** Size of a stored blob, or null. */
  stat(sha256: string): Promise<{ size: number } | null>;
  /**
   * Removes a blob (callers check first that no row references it any more). With
   * `unlessModifiedAfter`, a blob written again since that time (a new upload of the same
   * contents, see the garbage collector) is kept.
   */
  delete(sha256: string, options?: { unlessModifiedAfter?: Date }): Promise<void>;
  /** Every stored blob, in no particular order (garbage collection, backups). */
  list(): AsyncIterable<ListedBlob>;
}
