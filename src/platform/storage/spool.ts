/**
 * Streams an upload into a new file while hashing and counting it: both stores start a put this
 * way (the local disk then renames the file into place; S3 sends it with its MD5). The file is
 * removed on any failure, including an upload larger than `maxBytes`.
 */
import { createHash } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { fileTooLarge } from './too-large.ts';

export interface Spooled {
  sha256: string;
  /** Base64 MD5 (Content-MD5), when asked for. */
  md5: string | null;
  size: number;
}

export async function spoolToFile(
  source: Readable,
  file: string,
  options: { maxBytes: number; mode: number; md5?: boolean; fsync?: boolean },
): Promise<Spooled> {
  const handle = await open(file, 'wx', options.mode);
  const sha256 = createHash('sha256');
  const md5 = options.md5 ? createHash('md5') : null;
  let size = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer | string>) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += bytes.length;
      if (size > options.maxBytes) throw fileTooLarge(options.maxBytes);
      sha256.update(bytes);
      md5?.update(bytes);
      await handle.write(bytes);
    }
    if (options.fsync) await handle.sync();
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(file, { force: true });
    throw error;
  }
  await handle.close();
  return { sha256: sha256.digest('hex'), md5: md5?.digest('base64') ?? null, size };
}
