/** Builds multipart/form-data bodies for app.inject, like a browser's FormData would. */
import { randomBytes } from 'node:crypto';

export interface MultipartFilePart {
  /** Form field name (default `file`). */
  field?: string;
  filename: string;
  /** What the browser claims (we never trust it). */
  contentType?: string;
  bytes: Buffer;
}

export function multipartBody(file: MultipartFilePart | null, fields: Record<string, string> = {}): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----preau${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.filename}"\r\n` +
          `Content-Type: ${file.contentType ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** The start of a PDF: enough for type sniffing. */
export const PDF_BYTES = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');

/** The 8-byte PNG signature plus an IHDR chunk: enough for type sniffing. */
export const PNG_HEAD = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
/** A PNG-shaped file of exactly `size` bytes (≥ 45): signature, IHDR, then one IDAT chunk of filler. */
export function pngOfSize(size: number): Buffer {
  const payload = size - PNG_HEAD.length - 12;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(payload);
  return Buffer.concat([PNG_HEAD, length, Buffer.from('IDAT'), Buffer.alloc(payload, 7), Buffer.alloc(4)]);
}

/** A Windows executable's first bytes ("MZ"…): never accepted. */
export const EXE_HEAD = Buffer.concat([Buffer.from('4d5a90000300000004000000ffff0000b800000000000000400000000000000000', 'hex'), Buffer.alloc(200)]);
