/**
 * Serves the built web app (web/dist) from memory.
 *
 * At boot every file of distDir is read once, precompressed with brotli and gzip and given a strong
 * ETag; requests never touch the file system. Hashed files under /assets/ are cached for a year,
 * everything else (index.html, favicon…) is revalidated (`no-cache`) so a deploy shows at once.
 * Any other GET that looks like a page (no file extension, not /api/, not a probe) gets index.html:
 * the client router takes it from there.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

type Encoding = 'br' | 'gzip' | 'identity';

interface Variant {
  readonly body: Buffer;
  readonly etag: string;
}

interface StaticFile {
  readonly contentType: string;
  readonly cacheControl: string;
  readonly variants: Readonly<Partial<Record<Encoding, Variant>>> & { readonly identity: Variant };
}

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
const PROBES = new Set(['/health', '/ready', '/metrics']);

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.pdf': 'application/pdf',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.webmanifest', '.svg', '.txt', '.csv', '.xml', '.ico']);

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Préau — application web non construite</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; line-height: 1.5; color: #1a2433">
<h1>L'application web n'est pas construite</h1>
<p>Le serveur Préau fonctionne et son API répond sous <code>/api/</code>, mais les fichiers de l'interface sont absents.</p>
<p>Construisez-les avec <code>npm run build</code>, puis redémarrez le serveur.</p>
</body></html>
`;

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

function etagOf(body: Buffer, suffix: string): string {
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 27);
  return `"${hash}${suffix}"`;
}

function buildFile(urlPath: string, body: Buffer): StaticFile {
  const ext = path.extname(urlPath).toLowerCase();
  const identity: Variant = { body, etag: etagOf(body, '') };
  const variants: { identity: Variant; br?: Variant; gzip?: Variant } = { identity };
  if (COMPRESSIBLE.has(ext) && body.length > 256) {
    const br = brotliCompressSync(body, {
      params: {
        [zlibConstants.BROTLI_PARAM_QUALITY]: zlibConstants.BROTLI_MAX_QUALITY,
        [zlibConstants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    });
    const gz = gzipSync(body, { level: 9 });
    if (br.length < body.length) variants.br = { body: br, etag: identity.etag.replace(/"$/, '-br"') };
    if (gz.length < body.length) variants.gzip = { body: gz, etag: identity.etag.replace(/"$/, '-gz"') };
  }
  return {
    contentType: CONTENT_TYPES[ext] ?? 'application/octet-stream',
    cacheControl: urlPath.startsWith('/assets/') ? IMMUTABLE : REVALIDATE,
    variants,
  };
}

/** Reads distDir into memory: URL path (`/assets/index-abc.js`) → file and its encodings. */
export function loadDist(distDir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  let isDir = false;
  try {
    isDir = statSync(distDir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) return files;
  for (const full of listFiles(distDir)) {
    const urlPath = '/' + path.relative(distDir, full).split(path.sep).join('/');
    files.set(urlPath, buildFile(urlPath, readFileSync(full)));
  }
  return files;
}

/** Picks br, then gzip, then identity, honouring `q=0` refusals. */
export function pickEncoding(acceptEncoding: string | undefined, available: readonly Encoding[]): Encoding {
  if (!acceptEncoding) return 'identity';
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [rawName, ...params] = part.trim().split(';');
    const name = rawName?.trim().toLowerCase();
    if (!name) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    accepted.set(name, Number.isFinite(q) ? q : 0);
  }
  const quality = (enc: string): number => accepted.get(enc) ?? accepted.get('*') ?? 0;
  for (const enc of ['br', 'gzip'] as const) {
    if (available.includes(enc) && quality(enc) > 0) return enc;
  }
  return 'identity';
}

function matchesIfNoneMatch(header: string | undefined, etags: readonly string[]): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const candidates = header.split(',').map((t) => t.trim().replace(/^W\//, ''));
  return candidates.some((c) => etags.includes(c));
}

function decodePath(url: string): string | null {
  const raw = url.split('?')[0] ?? '/';
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

function sendFile(request: FastifyRequest, reply: FastifyReply, file: StaticFile): FastifyReply {
  const available = Object.keys(file.variants) as Encoding[];
  const allEtags = Object.values(file.variants).map((v) => v.etag);
  reply.header('cache-control', file.cacheControl);
  if (available.length > 1) reply.header('vary', 'accept-encoding');
  const encoding = pickEncoding(request.headers['accept-encoding'], available);
  const variant = file.variants[encoding] ?? file.variants.identity;
  reply.header('etag', variant.etag);
  if (matchesIfNoneMatch(request.headers['if-none-match'], allEtags)) {
    return reply.code(304).send();
  }
  if (encoding !== 'identity') reply.header('content-encoding', encoding);
  reply.header('content-type', file.contentType);
  reply.header('content-length', variant.body.length);
  return reply.code(200).send(variant.body);
}

function notFoundFile(reply: FastifyReply): FastifyReply {
  return reply
    .code(404)
    .header('cache-control', REVALIDATE)
    .send({ error: { code: 'NOT_FOUND', message: 'Fichier introuvable.' } });
}

/** True when the path belongs to the server (API and probes), never to the web app. */
function isServerPath(p: string): boolean {
  return p === '/api' || p.startsWith('/api/') || PROBES.has(p);
}

/**
 * Registers GET (and, through Fastify's automatic HEAD routes, HEAD) for the web app.
 * Server paths that match no route are handed back to the app's not-found handler.
 */
export async function registerStaticShell(app: FastifyInstance, opts: { distDir: string }): Promise<void> {
  const files = loadDist(opts.distDir);
  const index = files.get('/index.html') ?? buildFile('/index.html', Buffer.from(NOT_BUILT_PAGE, 'utf8'));
  if (!files.has('/index.html')) {
    app.log.warn({ distDir: opts.distDir }, 'web app not built: run `npm run build`');
  }

  // Never shed: the shell comes from memory, and without it a person sees nothing at all.
  app.get('/*', { config: { criticality: 'critical' } }, async (request, reply) => {
    const p = decodePath(request.url);
    if (p === null) return notFoundFile(reply);
    if (isServerPath(p)) {
      reply.callNotFound();
      return reply;
    }
    const file = files.get(p);
    if (file) return sendFile(request, reply, file);
    if (path.posix.extname(p) !== '') return notFoundFile(reply);
    return sendFile(request, reply, index);
  });
}
