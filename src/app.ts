/**
 * Builds the Préau application (no listen): dependencies once, then plugins in order — error
 * handling, security, the front door, then each module's routes. server.ts listens; tests use
 * `app.inject` on the same build.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import multipart from '@fastify/multipart';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import type { Signer } from './platform/crypto.ts';
import { openDatabase, type Database } from './platform/db/db.ts';
import { migrate } from './platform/db/migrate.ts';
import { registerErrorHandling } from './platform/http/errors.ts';
import { registerValidation } from './platform/http/validation.ts';
import { registerCookies, registerSecurity, securityHeaders } from './platform/http/security.ts';
import { FastPath } from './platform/http/fast-path.ts';
import { STATE_PATH } from './front-door/waiting-page.ts';
import { registerStaticShell } from './platform/http/static-shell.ts';
import type { BlobStore } from './platform/storage/blob-store.ts';
import { openBlobStore } from './platform/storage/index.ts';
import { loadSigner } from './platform/secrets.ts';
import { EventBus } from './platform/events.ts';
import { createSharedState, type FallbackState } from './platform/shared-state/index.ts';
import type { SharedState } from './platform/shared-state/shared-state.ts';
import { parisDate, systemClock, type Clock } from './shared/time.ts';
import { ActorLoader } from './modules/access/index.ts';
import { ClassSections, DashboardCache, dashboardRoutes } from './modules/dashboard/index.ts';
import { Auth, identityRoutes, LessonSoonIndex, PriorityLane, Revocations, SessionDirectory, SessionTokens, sweepSessions } from './modules/identity/index.ts';
import { schoolsRoutes } from './modules/schools/index.ts';
import { homeworkRoutes } from './modules/homework/index.ts';
import { documentsRoutes, MAX_FILE_BYTES } from './modules/documents/index.ts';
import { createTimetableDeps, findTeachingWindowsOn, timetableRoutes } from './modules/timetable/index.ts';
import { messagingRoutes } from './modules/messaging/index.ts';
import { operationsRoutes } from './modules/operations/index.ts';
import { liveRoutes, type LiveRouteDeps } from './modules/live/index.ts';
import { registerFrontDoor, type FrontDoorControl, type FrontDoorOptions } from './front-door/front-door.plugin.ts';
import { registerFrontDoorMetrics } from './front-door/metrics.ts';
import { checkLimit, createAuthLimits, withLimitFactor } from './front-door/rate-limits.ts';
import { collectDefaultMetrics, Registry } from 'prom-client';

export interface AppDeps {
  config: Config;
  database: Database;
  state: SharedState;
  clock: Clock;
  signer: Signer;
  /** File contents (documents, attachments, hand-ins), content-addressed. */
  blobs: BlobStore;
  /** What changed, heard on every node (live updates, caches that must agree). */
  events: EventBus;
}

export interface BuildOptions {
  config: Config;
  /** Supply an open database (tests); otherwise one is opened from the config. */
  database?: Database;
  state?: SharedState;
  clock?: Clock;
  /** Pino logger options, or false for silence (tests). */
  logger?: boolean | Record<string, unknown>;
  /** Directory of the built web app; defaults to web/dist next to src/. */
  webDistDir?: string;
  /** Live updates (tests: no timers, a handle on the hub and the lesson watch). */
  live?: { timers?: boolean; expose?: LiveRouteDeps['expose'] };
  /** Front-door options to override (tests: a manual clock drives `step()`, a forced cap…). */
  frontDoor?: Partial<Omit<FrontDoorOptions, 'hasActiveSession' | 'hasRememberedSession' | 'priorityCredential'>>;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Requests slower than this are logged (with server errors); others leave no log line. */
const SLOW_REQUEST_MS = 1_000;

export async function openDependencies(options: BuildOptions): Promise<AppDeps> {
  const { config } = options;
  const database =
    options.database ??
    (await openDatabase({
      url: config.databaseUrl,
      dataDir: path.join(config.dataDir, 'pglite'),
      connectTimeoutMs: config.dbConnectTimeoutMs,
      queryTimeoutMs: config.dbQueryTimeoutMs,
    }));
  await migrate(database);
  const state = options.state ?? (await createSharedState({ redisUrl: config.redisUrl }));
  const events = new EventBus(state);
  await events.start();
  return {
    config,
    database,
    state,
    clock: options.clock ?? systemClock,
    signer: loadSigner(config.secrets, config.dataDir),
    blobs: await openBlobStore(config.storage),
    events,
  };
}

export interface BuiltApp {
  app: FastifyInstance;
  deps: AppDeps;
  /** The waiting room's controls (cap, attack mode, status). */
  frontDoor: FrontDoorControl;
  /** Makes /ready answer 503 so load balancers stop sending new people here, before closing. */
  beginDrain: () => void;
}

export async function buildApp(options: BuildOptions): Promise<BuiltApp> {
  const deps = await openDependencies(options);
  const { config, database, state, clock, signer } = deps;

  // The waiting room's document is answered by the HTTP server itself, before the framework.
  const fastPath = new FastPath();
  const app = Fastify({
    serverFactory: fastPath.serverFactory,
    logger:
      options.logger === false
        ? false
        : {
            level: config.logLevel,
            redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]'],
            ...(typeof options.logger === 'object' ? options.logger : {}),
          },
    trustProxy: config.trustProxy,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // No "incoming request"/"request completed" pair per request (a third of a cached answer's
    // CPU at info level): the onResponse hook below logs server errors and slow requests only.
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  });

  const sessions = new SessionDirectory(state, clock);
  const revocations = new Revocations(state, clock, sessions);
  await revocations.start();
  const identity = { db: database.db, clock, revocations, sessions };
  // The priority lane (PRIORITY_LANE): today's lessons per teacher in memory, reloaded on timetable changes.
  const lessonsSoon =
    config.priorityLane === 'lesson-soon'
      ? new LessonSoonIndex({
          load: (date) => findTeachingWindowsOn(database.db, date),
          clock,
          dateOf: parisDate,
          onError: (error) => app.log.warn({ err: error }, 'priority lane: lessons not reloaded, keeping the previous ones'),
        })
      : null;
  await lessonsSoon?.start(deps.events, options.frontDoor?.timers ?? true);
  const sessionTokens = new SessionTokens(signer);
  const lane = new PriorityLane(config.priorityLane, sessionTokens, clock, lessonsSoon);
  const actors = new ActorLoader(database.db);
  const stopActorEvents = actors.listen(deps.events);
  const auth = new Auth(identity, sessionTokens, actors, lane);
  const limitState = withLimitFactor(state, config.rateLimitFactor);
  const limits = createAuthLimits(limitState, clock);

  registerErrorHandling(app);
  // Every answer says its request id, the front door's too (set first, before any hook answers).
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  registerValidation(app);
  await registerCookies(app);
  // The front door next: its gate decides before anything else runs, with no I/O.
  const frontDoor = await registerFrontDoor(
    app,
    { state, clock, signer, log: app.log },
    {
      hasActiveSession: (request) => auth.hasActiveSession(request),
      hasRememberedSession: (request) => auth.hasRememberedSession(request),
      priorityCredential: (request) => auth.hasPriorityCredential(request),
      // Calendar apps fetch /ical/ feeds with no cookies, on their own schedule: never queue them.
      exemptPrefixes: ['/health', '/ready', '/metrics', '/file-attente', '/assets/', '/ical/'],
      ...(config.loadProtection
        ? {}
        : {
            shedding: false,
            attackMode: 'off' as const,
            limiter: { initialLimit: 10_000, minLimit: 10_000, maxLimit: 10_000 },
            initialRatePerSecond: 1000,
            minRatePerSecond: 1000,
          }),
      ...(options.frontDoor ?? {}),
    },
  );
  fastPath.setCommonHeaders(securityHeaders());
  fastPath.serve({ path: STATE_PATH, body: () => frontDoor.publicStateJson(), contentType: 'application/json; charset=utf-8', cacheControl: 'public, max-age=1' });
  await registerSecurity(app, { csrfKey: signer.derive('csrf').keyMaterial(), userInfo: (r) => auth.sessionIdOf(r) ?? 'anonymous' });

  let closing = false;
  app.addHook('onSend', (_request, reply, payload, done) => {
    // While draining, finished requests release their keep-alive connection so close() can end.
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const ms = reply.elapsedTime;
    if (reply.statusCode >= 500 || (ms >= SLOW_REQUEST_MS && request.routeOptions.config.longLived !== true)) {
      request.log.warn({ method: request.method, url: request.url, statusCode: reply.statusCode, ms: Math.round(ms) }, ms >= SLOW_REQUEST_MS ? 'slow request' : 'server error');
    }
    done();
  });
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async (_request, reply) => {
    const problems: string[] = [];
    if (closing) problems.push('arrêt en cours');
    await Promise.race([
      database.ping(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref()),
    ]).catch(() => problems.push('base de données injoignable'));
    if (!state.isHealthy()) problems.push('état partagé injoignable');
    if (problems.length > 0) return reply.code(503).header('retry-after', '5').send({ status: 'unavailable', problems });
    // Redis down: the node still serves, on per-node rate limits and counters (docs/cluster.md).
    const perNode = (state as Partial<FallbackState>).isUsingFallback?.() === true;
    return { status: 'ready', database: database.kind, sharedState: state.kind, ...(perNode ? { sharedStateFallback: 'par nœud' } : {}) };
  });

  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics, prefix: 'preau_' });
  registerFrontDoorMetrics(metrics, frontDoor);
  app.get('/metrics', async (request, reply) => {
    if (config.metricsToken && request.headers.authorization !== `Bearer ${config.metricsToken}`) {
      return reply.code(401).send({ error: { code: 'UNAUTHENTICATED', message: 'Jeton des métriques manquant ou invalide.' } });
    }
    return reply.type(metrics.contentType).send(await metrics.metrics());
  });

  await app.register(identityRoutes, { identity, auth, limits });
  app.decorateRequest('actorUserId', null);
  const dashboardCache = new DashboardCache();
  const classSections = new ClassSections(database.db);
  const stopDashboardEvents = [dashboardCache.listen(deps.events), classSections.listen(deps.events), stopActorEvents];
  // A person's own change shows on their dashboard at once, on every node: any write of theirs
  // forgets their cached dashboard here and, through the bus, on the other nodes.
  app.addHook('onResponse', (request, _reply, done) => {
    if (request.actorUserId !== null && request.method !== 'GET' && request.method !== 'HEAD') {
      void deps.events.publish({ type: 'people.changed', userIds: [request.actorUserId] });
    }
    done();
  });
  await app.register(dashboardRoutes, {
    dashboard: { db: database.db, clock, sections: classSections },
    auth,
    cache: dashboardCache,
    countQueries: config.queryCountHeader,
  });
  await app.register(schoolsRoutes, { schools: { db: database.db, events: deps.events }, auth });
  await app.register(operationsRoutes, { auth, frontDoor });
  // School-day modules register their routes below, one line each (issue 3).
  await app.register(multipart, { limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 20, parts: 21 } });
  const { blobs } = deps;
  await app.register(documentsRoutes, {
    documents: { db: database.db, blobs, clock, events: deps.events },
    auth,
    limits: { upload: async (userId: string) => void (await checkLimit(limitState, clock, 'upload:account', userId)) },
  });
  await app.register(homeworkRoutes, { homework: { db: database.db, clock, events: deps.events }, auth, blobs });
  await app.register(messagingRoutes, {
    messaging: { db: database.db, events: deps.events },
    auth,
    blobs,
    limits: { send: async (userId: string) => void (await checkLimit(limitState, clock, 'message-send:account', userId)) },
  });
  await app.register(timetableRoutes, { timetable: createTimetableDeps({ db: database.db, clock, config, signer, events: deps.events }), auth });
  await app.register(liveRoutes, { auth, events: deps.events, db: database.db, state, clock, revocations, maxConnections: config.liveMaxConnections, ...options.live });
  await registerStaticShell(app, { distDir: options.webDistDir ?? path.join(ROOT, 'web', 'dist') });

  const sweep = setInterval(() => void sweepSessions(identity).catch(() => {}), 3_600_000);
  sweep.unref();
  app.addHook('preClose', async () => {
    closing = true;
    fastPath.close();
  });
  app.addHook('onClose', async () => {
    clearInterval(sweep);
    for (const stop of stopDashboardEvents) stop();
    lessonsSoon?.stop();
    await revocations.stop();
    await deps.events.stop();
    if (!options.state) await state.close();
    if (!options.database) await database.close();
  });
  return {
    app,
    deps,
    frontDoor,
    beginDrain: () => {
      closing = true;
      fastPath.close();
    },
  };
}
