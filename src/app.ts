/**
 * Builds the Préau application (no listen): dependencies once, then plugins in order — error
 * handling, security, the front door, then each module's routes. server.ts listens; tests use
 * `app.inject` on the same build.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import type { Signer } from './platform/crypto.ts';
import { openDatabase, type Database } from './platform/db/db.ts';
import { migrate } from './platform/db/migrate.ts';
import { registerErrorHandling } from './platform/http/errors.ts';
import { registerValidation } from './platform/http/validation.ts';
import { registerCookies, registerSecurity } from './platform/http/security.ts';
import { registerStaticShell } from './platform/http/static-shell.ts';
import type { BlobStore } from './platform/storage/blob-store.ts';
import { createLocalDiskStore } from './platform/storage/local-disk.ts';
import { loadSigner } from './platform/secrets.ts';
import { createSharedState } from './platform/shared-state/index.ts';
import type { SharedState } from './platform/shared-state/shared-state.ts';
import { systemClock, type Clock } from './shared/time.ts';
import { ActorLoader } from './modules/access/index.ts';
import { DashboardCache, dashboardRoutes } from './modules/dashboard/index.ts';
import { Auth, identityRoutes, Revocations, SessionTokens, sweepSessions } from './modules/identity/index.ts';
import { schoolsRoutes } from './modules/schools/index.ts';
import { homeworkRoutes } from './modules/homework/index.ts';
import { documentsRoutes, MAX_FILE_BYTES } from './modules/documents/index.ts';
import { createTimetableDeps, timetableRoutes } from './modules/timetable/index.ts';
import { messagingRoutes } from './modules/messaging/index.ts';
import { operationsRoutes } from './modules/operations/index.ts';
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
  /** Front-door options to override (tests: a manual clock drives `step()`, a forced cap…). */
  frontDoor?: Partial<Omit<FrontDoorOptions, 'isSessionHolder' | 'priorityCredential'>>;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export async function openDependencies(options: BuildOptions): Promise<AppDeps> {
  const { config } = options;
  const database =
    options.database ??
    (await openDatabase({ url: config.databaseUrl, dataDir: path.join(config.dataDir, 'pglite') }));
  await migrate(database);
  const state = options.state ?? (await createSharedState({ redisUrl: config.redisUrl }));
  return {
    config,
    database,
    state,
    clock: options.clock ?? systemClock,
    signer: loadSigner(config.secrets, config.dataDir),
    blobs: createLocalDiskStore(path.join(config.dataDir, 'blobs')),
  };
}

export interface BuiltApp {
  app: FastifyInstance;
  deps: AppDeps;
  /** The waiting room's controls (cap, attack mode, status). */
  frontDoor: FrontDoorControl;
  /** Makes /ready answer 503 so load balancers stop sending new people here, before closing. */
  beginDrain(): void;
}

export async function buildApp(options: BuildOptions): Promise<BuiltApp> {
  const deps = await openDependencies(options);
  const { config, database, state, clock, signer } = deps;

  const app = Fastify({
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
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  });

  const revocations = new Revocations(state, clock);
  await revocations.start();
  const identity = { db: database.db, clock, revocations };
  const auth = new Auth(identity, new SessionTokens(signer), new ActorLoader(database.db));
  const limitState = withLimitFactor(state, config.rateLimitFactor);
  const limits = createAuthLimits(limitState, clock);

  registerErrorHandling(app);
  registerValidation(app);
  await registerCookies(app);
  // The front door next: its gate decides before anything else runs, with no I/O.
  const frontDoor = await registerFrontDoor(
    app,
    { state, clock, signer, log: app.log },
    {
      isSessionHolder: (request) => auth.isSessionHolder(request),
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
  await registerSecurity(app, { csrfKey: signer.derive('csrf').keyMaterial(), userInfo: (r) => auth.sessionIdOf(r) ?? 'anonymous' });

  let closing = false;
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // While draining, finished requests release their keep-alive connection so close() can end.
    if (closing) reply.header('connection', 'close');
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
    return { status: 'ready', database: database.kind, sharedState: state.kind };
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
  // A person's own change shows on their dashboard at once: any write of theirs forgets its cache.
  app.addHook('onResponse', async (request) => {
    if (request.actorUserId && request.method !== 'GET' && request.method !== 'HEAD') dashboardCache.forget(request.actorUserId);
  });
  await app.register(dashboardRoutes, { dashboard: { db: database.db, clock }, auth, cache: dashboardCache });
  await app.register(schoolsRoutes, { schools: { db: database.db }, auth });
  await app.register(operationsRoutes, { auth, frontDoor });
  // School-day modules register their routes below, one line each (issue 3).
  await app.register(multipart, { limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 20, parts: 21 } });
  const { blobs } = deps;
  await app.register(documentsRoutes, {
    documents: { db: database.db, blobs, clock },
    auth,
    limits: { upload: async (userId: string) => void (await checkLimit(limitState, clock, 'upload:account', userId)) },
  });
  await app.register(homeworkRoutes, { homework: { db: database.db, clock }, auth, blobs });
  await app.register(messagingRoutes, {
    messaging: { db: database.db },
    auth,
    blobs,
    limits: { send: async (userId: string) => void (await checkLimit(limitState, clock, 'message-send:account', userId)) },
  });
  await app.register(timetableRoutes, { timetable: createTimetableDeps({ db: database.db, clock, config, signer }), auth });
  await registerStaticShell(app, { distDir: options.webDistDir ?? path.join(ROOT, 'web', 'dist') });

  const sweep = setInterval(() => void sweepSessions(identity).catch(() => {}), 3_600_000);
  sweep.unref();
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onClose', async () => {
    clearInterval(sweep);
    await revocations.stop();
    if (!options.state) await state.close();
    if (!options.database) await database.close();
  });
  return {
    app,
    deps,
    frontDoor,
    beginDrain: () => {
      closing = true;
    },
  };
}
