/**
 * A few public, cacheable answers served by the HTTP server itself, before the framework runs:
 * the waiting room's document (GET /file-attente/etat.json), which every waiting browser polls.
 * It is one string for everybody (no cookie read, no person, no I/O), so it needs none of the
 * framework's work per request (routing, hooks, request objects): this is what a CDN or nginx in
 * front would do, done in process so that a lone node holds the surge too. Anything else, and this
 * path while the node drains, goes to Fastify as usual; the same document stays on a Fastify route
 * for `inject` (tests) and HEAD requests.
 */
import http, { type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';

export interface FastAnswer {
  /** Exact path (a query string is ignored: pollers add cache busters). */
  path: string;
  /** The body at this instant (a cached string), or null to let the framework answer. */
  body: () => string | null;
  contentType: string;
  cacheControl: string;
}

/** Fastify's server options this server honours as Fastify's own would. */
interface ServerOptions {
  http?: http.ServerOptions | null;
  keepAliveTimeout?: number;
  requestTimeout?: number;
  connectionTimeout?: number;
}

export class FastPath {
  private readonly answers = new Map<string, FastAnswer>();
  private headers: Record<string, string> = {};
  private isOpen = true;
  private prepared = new WeakMap<FastAnswer, { body: string; bytes: Buffer; headers: string[] }>();

  /** Headers every fast answer carries (the security headers). */
  setCommonHeaders(headers: Readonly<Record<string, string>>): void {
    this.headers = { ...headers };
    this.prepared = new WeakMap();
  }

  serve(answer: FastAnswer): void {
    this.answers.set(answer.path, answer);
  }

  /** While draining, everything goes through the framework (which says `connection: close`). */
  close(): void {
    this.isOpen = false;
  }

  /** For Fastify's `serverFactory`. */
  readonly serverFactory = (handler: RequestListener, options: ServerOptions): Server => {
    const server = http.createServer(options.http ?? {}, (request, response) => {
      if (!this.tryAnswer(request, response)) handler(request, response);
    });
    if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
    if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout;
    if (options.connectionTimeout !== undefined) server.setTimeout(options.connectionTimeout);
    return server;
  };

  private tryAnswer(request: IncomingMessage, response: ServerResponse): boolean {
    if (!this.isOpen || request.method !== 'GET' || this.answers.size === 0) return false;
    const url = request.url ?? '';
    const q = url.indexOf('?');
    const answer = this.answers.get(q === -1 ? url : url.slice(0, q));
    if (answer === undefined) return false;
    const body = answer.body();
    if (body === null) return false;
    let ready = this.prepared.get(answer);
    if (ready?.body !== body) {
      // Built once per new document (about once a second), not per request.
      const bytes = Buffer.from(body);
      const headers = { ...this.headers, 'content-type': answer.contentType, 'cache-control': answer.cacheControl, 'content-length': String(bytes.length) };
      ready = { body, bytes, headers: Object.entries(headers).flat() };
      this.prepared.set(answer, ready);
    }
    response.writeHead(200, ready.headers);
    response.end(ready.bytes);
    return true;
  }
}
