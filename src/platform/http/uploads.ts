/**
 * Receiving ONE uploaded file from a multipart/form-data request (on top of @fastify/multipart,
 * registered in app.ts) straight into a BlobStore: the bytes are streamed, never held whole in
 * memory. On the way:
 *  - the size is capped (`maxBytes`): 413 PAYLOAD_TOO_LARGE and nothing stored;
 *  - the real type is sniffed from the first bytes (file-type), never trusted from the browser;
 *    a type outside the allow-list is refused with 415 UNSUPPORTED_MEDIA_TYPE and a French
 *    message naming what is accepted, before anything is written;
 *  - the file name is made safe (see `safeFileName`).
 *
 * Typical route (the service then records the returned blob in its own table):
 * ```ts
 * app.post('/api/things/:id/attachments', async (request, reply) => {
 *   const actor = await auth.require(request, reply);
 *   const upload = await receiveUpload(request, { store, maxBytes: 20 * 1024 * 1024 });
 *   return reply.code(201).send(await attach(deps, actor, { ...request.params, upload }));
 * });
 * ```
 * Fields sent BEFORE the file part are returned in `fields`; prefer query parameters for
 * anything the service must check before storing (folder, quota…).
 */
import { once } from 'node:events';
import { Readable } from 'node:stream';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../../shared/errors.ts';
import type { BlobStore } from '../storage/blob-store.ts';
import { extensionOf, safeFileName } from '../storage/file-names.ts';
import { fileTooLarge } from '../storage/too-large.ts';

export { safeFileName } from '../storage/file-names.ts';

/** One accepted kind of file. `mime` is what we store and serve; `extensions` without dot. */
export interface UploadType {
  mime: string;
  extensions: readonly string[];
  /** Group shown in the refusal message, e.g. « images ». */
  group: string;
}

/** Every type Préau accepts by default (PDF, images, office, OpenDocument, text, audio, video, zip). */
export const UPLOAD_TYPES: readonly UploadType[] = [
  { mime: 'application/pdf', extensions: ['pdf'], group: 'PDF' },
  { mime: 'image/png', extensions: ['png'], group: 'images' },
  { mime: 'image/jpeg', extensions: ['jpg', 'jpeg'], group: 'images' },
  { mime: 'image/gif', extensions: ['gif'], group: 'images' },
  { mime: 'image/webp', extensions: ['webp'], group: 'images' },
  { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['docx'], group: 'Office' },
  { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['xlsx'], group: 'Office' },
  { mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', extensions: ['pptx'], group: 'Office' },
  { mime: 'application/vnd.oasis.opendocument.text', extensions: ['odt'], group: 'OpenDocument' },
  { mime: 'application/vnd.oasis.opendocument.spreadsheet', extensions: ['ods'], group: 'OpenDocument' },
  { mime: 'application/vnd.oasis.opendocument.presentation', extensions: ['odp'], group: 'OpenDocument' },
  { mime: 'text/plain', extensions: ['txt'], group: 'texte' },
  { mime: 'text/csv', extensions: ['csv'], group: 'texte' },
  { mime: 'audio/mpeg', extensions: ['mp3'], group: 'audio' },
  { mime: 'audio/mp4', extensions: ['m4a'], group: 'audio' },
  { mime: 'video/mp4', extensions: ['mp4'], group: 'vidéo' },
  { mime: 'application/zip', extensions: ['zip'], group: 'archives' },
];

/** What receiveUpload returns: enough to insert a row that points at the blob. */
export interface ReceivedUpload {
  /** Blob key in the store. */
  sha256: string;
  size: number;
  /** The sniffed type, from the allow-list (text types carry a charset, e.g. `text/csv; charset=utf-8`). */
  contentType: string;
  /** Safe display/download name (see safeFileName). */
  name: string;
}

export interface ReceiveUploadOptions {
  store: BlobStore;
  /** Largest accepted file, in bytes. */
  maxBytes: number;
  /** Message of the 413 when the file is bigger than maxBytes (e.g. to speak of a quota). */
  tooLargeMessage?: string;
  /** Accepted types (defaults to UPLOAD_TYPES); pass a subset to be stricter. */
  types?: readonly UploadType[];
}

/** How many leading bytes are read to recognise the type (enough for Office's first zip entry). */
const SNIFF_BYTES = 64 * 1024;

const FILE_TYPE_ALIASES: Record<string, string> = { 'audio/x-m4a': 'audio/mp4' };

/** « PDF, images (png, jpg, jpeg, gif, webp), … » built from the accepted types. */
export function describeUploadTypes(types: readonly UploadType[] = UPLOAD_TYPES): string {
  const groups = new Map<string, string[]>();
  for (const type of types) groups.set(type.group, [...(groups.get(type.group) ?? []), ...type.extensions]);
  return [...groups].map(([group, extensions]) => (group === 'PDF' ? 'PDF' : `${group} (${extensions.join(', ')})`)).join(', ');
}

/** Text when there are no control bytes besides tab, line feeds and form feed. */
function looksLikeText(head: Buffer): boolean {
  for (const byte of head) {
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) return false;
    if (byte === 0x7f) return false;
  }
  return true;
}

function isUtf8(head: Buffer, complete: boolean): boolean {
  // A multi-byte character may be cut at the end of the sample: ignore up to 3 trailing bytes.
  for (let cut = 0; cut <= (complete ? 0 : 3); cut++) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, head.length - cut));
      return true;
    } catch {
      /* try a shorter sample */
    }
  }
  return false;
}

/**
 * The real type of a file from its first bytes (and, for plain text only, its name's extension
 * to tell CSV from text), or null when it is not one of `types`.
 */
export async function sniffContentType(head: Buffer, fileName: string, complete: boolean, types: readonly UploadType[] = UPLOAD_TYPES): Promise<{ mime: string; contentType: string } | { mime: null; detected: string }> {
  const detected = await fileTypeFromBuffer(head);
  if (detected) {
    const mime = FILE_TYPE_ALIASES[detected.mime] ?? detected.mime;
    return types.some((t) => t.mime === mime) ? { mime, contentType: mime } : { mime: null, detected: detected.ext };
  }
  if (!looksLikeText(head)) return { mime: null, detected: 'binaire inconnu' };
  const mime = extensionOf(fileName) === 'csv' ? 'text/csv' : 'text/plain';
  if (!types.some((t) => t.mime === mime)) return { mime: null, detected: 'texte' };
  // French spreadsheets often export CSV in Windows-1252: say so, so it opens with its accents.
  return { mime, contentType: `${mime}; charset=${isUtf8(head, complete) ? 'utf-8' : 'windows-1252'}` };
}

/** Gives the name the detected type's extension when it has none or a misleading one. */
function nameWithExtension(name: string, mime: string, types: readonly UploadType[]): string {
  const type = types.find((t) => t.mime === mime);
  if (!type || type.extensions.includes(extensionOf(name))) return name;
  if (mime.startsWith('text/') && extensionOf(name) !== '') return name; // notes.md, script.py: text is text
  return safeFileName(`${name}.${type.extensions[0] ?? 'bin'}`);
}

async function readHead(iterator: AsyncIterator<Buffer>): Promise<{ head: Buffer; complete: boolean }> {
  const chunks: Buffer[] = [];
  let length = 0;
  while (length < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) return { head: Buffer.concat(chunks), complete: true };
    chunks.push(next.value);
    length += next.value.length;
  }
  return { head: Buffer.concat(chunks), complete: false };
}

/** After a refusal, at most this much of the rest of the request is read and discarded. */
const MAX_DRAIN_BYTES = 32 * 1024 * 1024;

/**
 * After a refusal: destroy the part's stream (busboy then unpipes the request when the part
 * closes), then read and discard what the client is still sending before answering, so any
 * client reliably reads our answer and the connection is idle and reusable afterwards. Past
 * MAX_DRAIN_BYTES the connection is cut instead (the web app checks sizes before sending).
 */
async function drain(request: FastifyRequest, part: MultipartFile, iterator: AsyncIterator<Buffer>): Promise<void> {
  const closed = part.file.closed ? Promise.resolve() : once(part.file, 'close').then(() => undefined, () => undefined);
  await iterator.return?.();
  await closed;
  const raw = request.raw;
  if (raw.readableEnded || raw.complete || raw.destroyed) return;
  await new Promise<void>((resolve) => {
    let drained = 0;
    const done = (): void => {
      raw.off('data', onData).off('end', done).off('close', done).off('error', done);
      resolve();
    };
    const onData = (chunk: Buffer): void => {
      drained += chunk.length;
      if (drained > MAX_DRAIN_BYTES) {
        raw.destroy();
        done();
      }
    };
    raw.on('data', onData).on('end', done).on('close', done).on('error', done);
    raw.resume();
  });
}

function fieldValues(part: MultipartFile): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(part.fields)) {
    const field = Array.isArray(value) ? value[0] : value;
    if (field?.type === 'field') fields[key] = String(field.value);
  }
  return fields;
}

async function firstFilePart(request: FastifyRequest, maxBytes: number): Promise<MultipartFile> {
  if (!request.isMultipart()) {
    throw new AppError('VALIDATION', { message: 'Envoyez le fichier dans un formulaire multipart/form-data (champ « file »).' });
  }
  // One more byte than allowed, so the store (not busboy) notices the excess and says so in French.
  const part = await request.file({ limits: { fileSize: maxBytes + 1, files: 1, fields: 20, fieldSize: 10_000, parts: 21 }, throwFileSizeLimit: false });
  if (!part) throw new AppError('VALIDATION', { message: 'Aucun fichier reçu : choisissez un fichier à envoyer.' });
  return part;
}

/**
 * Streams the one file of a multipart request into `store` and returns its blob key, size,
 * sniffed content type and safe name, plus the form fields sent before it. Throws AppError
 * VALIDATION (400: not multipart, no file), PAYLOAD_TOO_LARGE (413: over `maxBytes`, nothing
 * kept) or UNSUPPORTED_MEDIA_TYPE (415: type outside `types`, nothing written). On refusal the
 * rest of the request body is drained so the client reliably receives the error.
 */
export async function receiveUpload(request: FastifyRequest, options: ReceiveUploadOptions): Promise<ReceivedUpload & { fields: Record<string, string> }> {
  const types = options.types ?? UPLOAD_TYPES;
  const part = await firstFilePart(request, options.maxBytes);
  const iterator = (part.file as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  try {
    const { head, complete } = await readHead(iterator);
    const sniffed = await sniffContentType(head, part.filename, complete, types);
    if (sniffed.mime === null) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', {
        message: `Type de fichier non accepté (${sniffed.detected}). Formats acceptés : ${describeUploadTypes(types)}.`,
        details: { accepted: types.map((t) => t.mime) },
      });
    }
    const source = Readable.from(
      (async function* () {
        yield head;
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
      })(),
    );
    const stored = await options.store.put(source, { maxBytes: options.maxBytes }).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'PAYLOAD_TOO_LARGE') throw fileTooLarge(options.maxBytes, options.tooLargeMessage);
      throw error;
    });
    const name = nameWithExtension(safeFileName(part.filename, types.find((t) => t.mime === sniffed.mime)?.extensions[0]), sniffed.mime, types);
    return { ...stored, contentType: sniffed.contentType, name, fields: fieldValues(part) };
  } catch (error) {
    await drain(request, part, iterator);
    throw error;
  }
}
