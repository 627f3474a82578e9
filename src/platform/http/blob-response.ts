/**
 * Sending a stored blob as a download, streamed from the BlobStore (never loaded whole), with the
 * headers browsers, download managers and caches expect:
 *  - `Content-Type`, `Content-Length`, `X-Content-Type-Options: nosniff`;
 *  - `Content-Disposition: attachment; filename="ascii"; filename*=UTF-8''…` (RFC 6266/8187), so
 *    « Fiche d'exercices — fractions.pdf » keeps its accents and nothing is rendered inline by default;
 *  - a strong `ETag` (the SHA-256: contents never change under a key) and `If-None-Match` → 304;
 *  - `Cache-Control: private, max-age=0, must-revalidate` (cached per person, revalidated each time,
 *    since access can be withdrawn);
 *  - `Accept-Ranges: bytes`; one `Range` → 206 with `Content-Range`, an unsatisfiable one → 416;
 *    several ranges, or an `If-Range` that no longer matches, → the whole file (200).
 *
 * Authorization happens before: the caller's service decides who may read which blob, then the
 * route calls `return sendBlob(request, reply, store, meta)`.
 */
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../shared/errors.ts';
import type { BlobRange, BlobStore } from '../storage/blob-store.ts';

export interface BlobDownload {
  /** Blob key in the store (also the ETag). */
  sha256: string;
  size: number;
  /** Served as is: take it from the sniffed type recorded at upload. */
  contentType: string;
  /** File name offered to the browser (already safe: see safeFileName in uploads.ts). */
  name: string;
  /** `attachment` (default: always downloaded) or `inline` (e.g. an image shown in a page). */
  disposition?: 'attachment' | 'inline';
}

type RangeDecision = { kind: 'whole' } | { kind: 'partial'; range: BlobRange } | { kind: 'unsatisfiable' };

/**
 * Reads a `Range` header against a size (RFC 9110 §14): one `bytes=` range is honoured, anything
 * else (other units, several ranges, bad syntax) means the whole representation.
 */
export function parseRange(header: string | undefined, size: number): RangeDecision {
  if (header === undefined) return { kind: 'whole' };
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) return { kind: 'whole' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'whole' };
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', range: { start: Math.max(0, size - suffix), end: size - 1 } };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return { kind: 'whole' }; // invalid: ignored
  if (start >= size) return { kind: 'unsatisfiable' };
  const end = last === '' ? size - 1 : Number(last);
  return { kind: 'partial', range: { start, end: Math.min(end, size - 1) } };
}

/** `attachment; filename="Fiche d'exercices - fractions.pdf"; filename*=UTF-8''Fiche%20d%27exercices%20%E2%80%94…` */
export function contentDisposition(name: string, disposition: 'attachment' | 'inline' = 'attachment'): string {
  const ascii = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Does an If-None-Match / If-Range list name this ETag? (`*` matches; weak validators compare weakly.) */
function matchesEtag(header: string, etag: string): boolean {
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}

/**
 * Streams `blob` from `store` as the reply (200, 206, 304 or 416). Throws AppError NOT_FOUND when
 * the store no longer has the contents. Works for GET and HEAD (no body, same headers).
 */
export async function sendBlob(request: FastifyRequest, reply: FastifyReply, store: BlobStore, blob: BlobDownload): Promise<FastifyReply> {
  const etag = `"${blob.sha256}"`;
  const validators = { etag, 'cache-control': 'private, max-age=0, must-revalidate' };
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch !== undefined && matchesEtag(ifNoneMatch, etag)) return reply.code(304).headers(validators).send();

  const ifRange = request.headers['if-range'];
  const decision = parseRange(ifRange === undefined || String(ifRange).trim() === etag ? request.headers.range : undefined, blob.size);
  if (decision.kind === 'unsatisfiable') {
    return reply
      .code(416)
      .headers({ ...validators, 'content-range': `bytes */${blob.size}` })
      .type('text/plain; charset=utf-8')
      .send('Plage demandée hors du fichier.');
  }
  const range = decision.kind === 'partial' ? decision.range : undefined;

  // Open before writing any header, so a missing blob still gets a clean JSON error. An empty
  // file has no byte to stream.
  let body: Readable | string = '';
  if (request.method === 'HEAD' || blob.size === 0) {
    if ((await store.stat(blob.sha256)) === null) throw missing();
  } else {
    const stream = await store.get(blob.sha256, range);
    if (stream === null) throw missing();
    body = stream;
  }
  reply.headers({
    ...validators,
    'x-content-type-options': 'nosniff',
    'accept-ranges': 'bytes',
    'content-disposition': contentDisposition(blob.name, blob.disposition),
    'content-length': String(range ? range.end - range.start + 1 : blob.size),
  });
  if (range) reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${blob.size}`);
  // HEAD: an empty stream keeps our Content-Length (Fastify's HEAD handler resumes streams).
  return reply.type(blob.contentType).send(request.method === 'HEAD' ? Readable.from([]) : body);
}

function missing(): AppError {
  return new AppError('NOT_FOUND', { message: 'Le contenu de ce fichier est introuvable sur le serveur. Prévenez la personne qui l’a déposé.' });
}
