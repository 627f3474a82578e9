/**
 * GET /api/live: the person's live updates as Server-Sent Events. Signed in like any API call
 * (no session → 401); this node's cap reached → 503 with Retry-After (the page then polls).
 * On connect: `retry` (a jittered reconnect delay) and `event: hello` with the unread count.
 * Then one frame per event that concerns the person, a heartbeat comment every ~25 s.
 *
 * Catch-up: events are notifications, the database is the truth. Nothing is kept per person
 * while they are away. A browser that reconnects sends Last-Event-ID; it gets a fresh `hello`
 * (`resumed: true`) and refetches the views it has open (dashboard, inbox, homework).
 *
 * The front door does not count these streams in flight (see front-door.plugin.ts); on
 * shutdown (preClose) every stream is ended so the node can close and browsers move on.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { EventBus } from '../../platform/events.ts';
import type { SharedState } from '../../platform/shared-state/shared-state.ts';
import { AppError } from '../../shared/errors.ts';
import type { Clock } from '../../shared/time.ts';
import type { Auth } from '../identity/index.ts';
import { countUnread } from '../messaging/index.ts';
import { LessonStartingWatch } from '../timetable/index.ts';
import { frame, LiveHub } from './live.hub.ts';

export interface LiveRouteDeps {
  auth: Auth;
  events: EventBus;
  db: Kysely<DB>;
  state: SharedState;
  clock: Clock;
  /** LIVE_MAX_CONNECTIONS. */
  maxConnections: number;
  /** Sessions signed out or revoked on any node: their streams end at once. */
  revocations?: { onRevoked(listener: (sessionId: string) => void): () => void };
  /** Heartbeat and lesson-reminder timers (default true; tests drive them by hand). */
  timers?: boolean;
  /** Handed the hub and the lesson watch (tests, the bench's metrics). */
  expose?: (live: { hub: LiveHub; lessons: LessonStartingWatch }) => void;
}

/** Ids we give (`<ms base 36>-<hex>`); anything else in Last-Event-ID is not from us. */
const EVENT_ID = /^[0-9a-z]{1,11}-[0-9a-f]{1,8}$/;

export async function liveRoutes(app: FastifyInstance, deps: LiveRouteDeps): Promise<void> {
  const hub = new LiveHub({ maxConnections: deps.maxConnections });
  const lessons = new LessonStartingWatch({ db: deps.db, state: deps.state, clock: deps.clock, events: deps.events }, { timers: deps.timers ?? true });
  const off = deps.events.on((event, meta) => hub.dispatch(event, meta));
  const offRevoked = deps.revocations?.onRevoked((sessionId) => hub.closeSession(sessionId));
  deps.expose?.({ hub, lessons });
  app.addHook('onReady', async () => {
    if (deps.timers === false) return;
    hub.start();
    lessons.start();
  });
  // Before the listener closes: end every stream (else close() would wait for them forever).
  app.addHook('preClose', async () => {
    off();
    offRevoked?.();
    hub.closeAll();
  });
  app.addHook('onClose', async () => lessons.stop());

  // longLived: the front door checks the pass or session, then leaves the stream out of its in-flight count and deadlines.
  app.get('/api/live', { config: { longLived: true } }, async (request, reply) => {
    const actor = await deps.auth.require(request, reply);
    const lastEventId = request.headers['last-event-id'];
    if (lastEventId !== undefined && (typeof lastEventId !== 'string' || !EVENT_ID.test(lastEventId))) {
      throw new AppError('VALIDATION', { message: 'En-tête Last-Event-ID invalide : rechargez la page.' });
    }
    if (!hub.hasRoom()) {
      throw new AppError('UNAVAILABLE', {
        message: 'Les mises à jour en direct sont complètes sur ce serveur : la page se met à jour régulièrement en attendant.',
        retryAfterSeconds: 30 + Math.floor(Math.random() * 30),
      });
    }
    const unread = (await countUnread(deps.db, [actor.userId]))[actor.userId] ?? 0;
    if (request.raw.destroyed) return reply.hijack();
    reply.hijack();
    const res = reply.raw;
    // Few headers: Node keeps the header block for the stream's whole life (the page's security
    // headers, set on the raw response by helmet, are for documents; this is data read by
    // EventSource, never rendered).
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
      'x-accel-buffering': 'no',
    });
    // A jittered reconnect delay: a drained node's browsers do not all come back at the same instant.
    const retryMs = 1_000 + Math.floor(Math.random() * 4_000);
    res.write(`retry: ${retryMs}\n${frame('hello', { unread, resumed: lastEventId !== undefined })}`);
    flattenHeaderBlock(res);
    const follows = [...new Set([...actor.enrolledClassIds, ...actor.childClassIds])];
    detachFromFastify(request.raw, res);
    hub.add(res, actor, follows, actor.taughtClassIds.size > 0 ? [...actor.taughtClassIds] : NONE);
    return reply;
  });
}

const NONE: readonly string[] = Object.freeze([]);

/**
 * The stream is ours from here. The listeners that Fastify and its plugins put on the request
 * and response for this request (onResponse and onRequestAbort hook runners, @fastify/multipart's
 * cleanup on close) would keep Fastify's request and reply objects alive for hours; none has
 * anything to do for a GET that is already answered. Node's own listener ('finish', bound
 * resOnFinish) stays; the hub adds its own 'close' listener next.
 */
function detachFromFastify(req: IncomingMessage, res: ServerResponse): void {
  for (const listener of res.listeners('finish')) if (listener.name === 'onResFinished') res.removeListener('finish', listener as () => void);
  res.removeAllListeners('error');
  res.removeAllListeners('close');
  req.removeAllListeners('close');
  res.on('error', ignore);
}

function ignore(): void {}

/**
 * Node keeps the response's header block (`_header`) as long as the response lives, built by
 * concatenation: a tree of ~70 small string pieces (~2.5 KB, a quarter of an idle stream). A
 * regular-expression test makes V8 flatten it in place into one ~250-byte string.
 */
function flattenHeaderBlock(res: ServerResponse): void {
  const header = (res as unknown as { _header?: unknown })._header;
  if (typeof header === 'string') HEADER_END.test(header);
}
const HEADER_END = /\r\n\r\n$/;
