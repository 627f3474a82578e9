/**
 * Reads the environment once, at boot, and freezes the result. This is the only file that may read
 * `process.env` (lint enforces it). Every bad value stops the start with a message that names the
 * variable, what it got and what it expects. Defaults are the embedded mode: PGlite under DATA_DIR,
 * in-process shared state, port 3000.
 */
import path from 'node:path';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** Empty: embedded PGlite under dataDir. Otherwise a postgres:// URL. */
  readonly databaseUrl: string | null;
  /** Empty: in-process shared state. Otherwise a redis:// URL. */
  readonly redisUrl: string | null;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Signing secrets, newest first (PREAU_SECRET, then PREAU_SECRET_PREVIOUS). Null: generated into dataDir. */
  readonly secrets: readonly string[] | null;
  /** Trust X-Forwarded-* from a proxy in front (nginx, a load balancer). */
  readonly trustProxy: boolean;
  /** Seed the demo school on first start when the database is empty. */
  readonly demo: boolean;
  readonly nodeEnv: 'development' | 'production' | 'test';
  /** Seconds the server waits for in-flight requests on SIGTERM. */
  readonly shutdownGraceSeconds: number;
  /** Milliseconds between "not ready" and closing the listener on SIGTERM. */
  readonly drainDelayMs: number;
  /** Virtual classes: the video provider that creates rooms (timetable). */
  readonly video: VideoConfig;
  /** Where file contents live (STORAGE): a local folder, or an S3-compatible bucket. */
  readonly storage: StorageConfig;
  /** When set, /metrics requires `Authorization: Bearer <token>`. */
  readonly metricsToken: string | null;
  /** Password the `salle-attente` command signs in with (otherwise it asks). */
  readonly operatorPassword: string | null;
  /**
   * Adaptive admission, load shedding and automatic attack mode (default on). Off only for end-to-end
   * tests on a shared machine, where a CPU spike must not queue or shed a journey; the operator's cap
   * and attack-mode switch still apply.
   */
  readonly loadProtection: boolean;
  /** Multiplies every rate limit (1 in production; more only for end-to-end tests). */
  readonly rateLimitFactor: number;
  /**
   * Who goes ahead at the front door (PRIORITY_LANE): `lesson-soon` a teacher from 15 minutes before
   * their lesson to its end (default), `staff` every teacher's and staff member's device, `off` nobody.
   */
  readonly priorityLane: 'lesson-soon' | 'staff' | 'off';
  /** PostgreSQL server: milliseconds to get a connection, and to get a query's answer (0: none), before a 503. */
  readonly dbConnectTimeoutMs: number;
  readonly dbQueryTimeoutMs: number;
  /** Live updates: open /api/live streams this node accepts before answering 503 (the page then polls). */
  readonly liveMaxConnections: number;
  /** Benchmarks only (PREAU_QUERY_COUNT_HEADER): the dashboard answers with `x-db-queries`, the SQL queries it cost. */
  readonly queryCountHeader: boolean;
}

export interface VideoConfig {
  readonly provider: 'jitsi' | 'bbb';
  /** https://host of a Jitsi Meet server; rooms are https://host/<name>. */
  readonly jitsiBaseUrl: string;
  /** BigBlueButton server (URL printed by `bbb-conf --secret`) and its shared secret; null when not configured. */
  readonly bbb: { readonly url: string; readonly secret: string; readonly checksumAlgorithm: 'sha1' | 'sha256' } | null;
}

/** STORAGE=local (DATA_DIR/blobs, or BLOBS_DIR) or STORAGE=s3 (S3_*): see docs/production.md. */
export type StorageConfig =
  | { readonly kind: 'local'; readonly dir: string }
  | {
      readonly kind: 's3';
      readonly bucket: string;
      readonly region: string;
      /** Null: AWS's endpoint for the region. */
      readonly endpoint: string | null;
      /** Null (both): the AWS SDK's default credential chain (environment, web identity, instance role). */
      readonly accessKeyId: string | null;
      readonly secretAccessKey: string | null;
      readonly forcePathStyle: boolean;
    };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration invalide :\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name}="${raw}" : attendu un nombre entier entre ${min} et ${max}.`);
      return fallback;
    }
    return Number(raw);
  };

  const bool = (name: string, fallback: boolean): boolean => {
    const raw = get(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['1', 'true', 'yes', 'on', 'oui'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off', 'non'].includes(raw)) return false;
    problems.push(`${name}="${raw}" : attendu true ou false.`);
    return fallback;
  };

  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name}="${raw}" : attendu l'une des valeurs ${allowed.join(', ')}.`);
      return fallback;
    }
    return raw as T;
  };

  const url = (name: string, protocols: string[]): string | null => {
    const raw = get(name);
    if (raw === undefined) return null;
    try {
      const u = new URL(raw);
      if (!protocols.includes(u.protocol)) {
        problems.push(`${name} : le protocole doit être ${protocols.join(' ou ')} (reçu « ${u.protocol} »).`);
      }
    } catch {
      problems.push(`${name} : ce n'est pas une URL valide (exemple : ${protocols[0]}//utilisateur@hote:port/base).`);
    }
    return raw;
  };

  const nodeEnv = oneOf('NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const host = get('HOST') ?? '127.0.0.1';
  if (!/^[\w.:-]+$/.test(host)) problems.push(`HOST="${host}" : attendu un nom d'hôte ou une adresse IP.`);

  const secrets = [get('PREAU_SECRET'), get('PREAU_SECRET_PREVIOUS')].filter((s): s is string => s !== undefined);
  for (const [i, s] of secrets.entries()) {
    if (s.length < 32) {
      problems.push(`${i === 0 ? 'PREAU_SECRET' : 'PREAU_SECRET_PREVIOUS'} : au moins 32 caractères aléatoires (reçu ${s.length}).`);
    }
  }
  const redisUrl = url('REDIS_URL', ['redis:', 'rediss:']);
  if (redisUrl && secrets.length === 0) {
    problems.push('PREAU_SECRET : obligatoire avec REDIS_URL, car tous les nœuds doivent signer avec le même secret.');
  }

  const config: Config = {
    port: int('PORT', 3000, 0, 65535),
    host,
    dataDir: path.resolve(cwd, get('DATA_DIR') ?? 'data'),
    databaseUrl: url('DATABASE_URL', ['postgres:', 'postgresql:']),
    redisUrl,
    logLevel: oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    secrets: secrets.length > 0 ? secrets : null,
    trustProxy: bool('TRUST_PROXY', false),
    demo: bool('PREAU_DEMO', nodeEnv !== 'production'),
    nodeEnv,
    shutdownGraceSeconds: int('SHUTDOWN_GRACE_SECONDS', 10, 0, 600),
    metricsToken: get('METRICS_TOKEN') ?? null,
    operatorPassword: get('PREAU_PASSWORD') ?? null,
    loadProtection: bool('LOAD_PROTECTION', true),
    rateLimitFactor: int('RATE_LIMIT_FACTOR', 1, 1, 1_000_000),
    priorityLane: oneOf('PRIORITY_LANE', ['lesson-soon', 'staff', 'off'] as const, 'lesson-soon'),
    dbConnectTimeoutMs: int('DB_CONNECT_TIMEOUT_MS', 3000, 100, 60_000),
    dbQueryTimeoutMs: int('DB_QUERY_TIMEOUT_MS', 15_000, 0, 3_600_000),
    liveMaxConnections: int('LIVE_MAX_CONNECTIONS', 10_000, 0, 1_000_000),
    queryCountHeader: bool('PREAU_QUERY_COUNT_HEADER', false),
    drainDelayMs: int('SHUTDOWN_DRAIN_DELAY_MS', redisUrl ? 3000 : 0, 0, 60_000),
    video: videoConfig(get, oneOf, problems),
    storage: storageConfig(get, oneOf, bool, problems, cwd),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

/** VIDEO_PROVIDER, JITSI_BASE_URL, BBB_URL, BBB_SECRET, BBB_CHECKSUM_ALGORITHM: virtual classes. */
function videoConfig(
  get: (name: string) => string | undefined,
  oneOf: <T extends string>(name: string, allowed: readonly T[], fallback: T) => T,
  problems: string[],
): VideoConfig {
  const provider = oneOf('VIDEO_PROVIDER', ['jitsi', 'bbb'] as const, 'jitsi');
  const httpsUrl = (name: string, example: string): string | null => {
    const raw = get(name);
    if (raw === undefined) return null;
    try {
      const u = new URL(raw);
      const local = u.hostname === 'localhost' || u.hostname === '127.0.0.1';
      if (u.protocol !== 'https:' && !(local && u.protocol === 'http:')) {
        problems.push(`${name} : l'adresse doit commencer par https:// (reçu « ${u.protocol} »), par exemple ${example}.`);
      }
      if (u.search || u.hash) problems.push(`${name} : l'adresse ne doit contenir ni « ? » ni « # » (exemple : ${example}).`);
    } catch {
      problems.push(`${name} : ce n'est pas une URL valide (exemple : ${example}).`);
    }
    return raw;
  };
  const jitsiBaseUrl = (httpsUrl('JITSI_BASE_URL', 'https://meet.jit.si') ?? 'https://meet.jit.si').replace(/\/+$/, '');
  const bbbUrl = httpsUrl('BBB_URL', 'https://bbb.exemple.fr/bigbluebutton/');
  const bbbSecret = get('BBB_SECRET');
  const checksumAlgorithm = oneOf('BBB_CHECKSUM_ALGORITHM', ['sha1', 'sha256'] as const, 'sha256');
  if (bbbSecret !== undefined && bbbSecret.length < 12) {
    problems.push(`BBB_SECRET : trop court (${bbbSecret.length} caractères) ; copiez le secret affiché par « bbb-conf --secret ».`);
  }
  if ((bbbUrl === null) !== (bbbSecret === undefined)) {
    problems.push('BBB_URL et BBB_SECRET vont ensemble : donnez les deux (voir « bbb-conf --secret » sur le serveur BigBlueButton).');
  }
  if (provider === 'bbb' && bbbUrl === null && bbbSecret === undefined) {
    problems.push('VIDEO_PROVIDER=bbb : BBB_URL et BBB_SECRET sont obligatoires (voir « bbb-conf --secret » sur le serveur BigBlueButton).');
  }
  const bbb = bbbUrl !== null && bbbSecret !== undefined ? { url: bbbUrl, secret: bbbSecret, checksumAlgorithm } : null;
  return { provider, jitsiBaseUrl, bbb };
}

/** STORAGE, BLOBS_DIR, S3_BUCKET, S3_REGION, S3_ENDPOINT, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_FORCE_PATH_STYLE. */
function storageConfig(
  get: (name: string) => string | undefined,
  oneOf: <T extends string>(name: string, allowed: readonly T[], fallback: T) => T,
  bool: (name: string, fallback: boolean) => boolean,
  problems: string[],
  cwd: string,
): StorageConfig {
  const kind = oneOf('STORAGE', ['local', 's3'] as const, 'local');
  const s3Names = ['S3_BUCKET', 'S3_REGION', 'S3_ENDPOINT', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'S3_FORCE_PATH_STYLE'];
  if (kind === 'local') {
    const stray = s3Names.filter((name) => get(name) !== undefined);
    if (stray.length > 0) problems.push(`${stray.join(', ')} : sans effet avec STORAGE=local ; ajoutez STORAGE=s3 pour utiliser le stockage S3.`);
    const dir = get('BLOBS_DIR');
    return { kind, dir: path.resolve(cwd, dir ?? path.join(get('DATA_DIR') ?? 'data', 'blobs')) };
  }
  if (get('BLOBS_DIR') !== undefined) problems.push('BLOBS_DIR : sans effet avec STORAGE=s3 (les fichiers vont dans S3_BUCKET) ; retirez-la.');

  const bucket = get('S3_BUCKET') ?? '';
  if (bucket === '') {
    problems.push('S3_BUCKET : obligatoire avec STORAGE=s3 (le nom du compartiment, par exemple preau-fichiers).');
  } else if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) || bucket.includes('..')) {
    problems.push(`S3_BUCKET="${bucket}" : nom de compartiment invalide (3 à 63 caractères : minuscules, chiffres, points, tirets).`);
  }
  const region = get('S3_REGION') ?? '';
  if (region === '') {
    problems.push('S3_REGION : obligatoire avec STORAGE=s3 (par exemple eu-west-3 chez AWS, fr-par chez Scaleway, us-east-1 pour MinIO).');
  } else if (!/^[a-z0-9-]{2,40}$/.test(region)) {
    problems.push(`S3_REGION="${region}" : attendu un nom de région en minuscules (par exemple eu-west-3).`);
  }
  const endpoint = get('S3_ENDPOINT') ?? null;
  if (endpoint !== null) {
    try {
      const u = new URL(endpoint);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') {
        problems.push(`S3_ENDPOINT : l'adresse doit commencer par https:// (reçu « ${u.protocol} »).`);
      }
      if (u.pathname !== '/' || u.search || u.hash) {
        problems.push(`S3_ENDPOINT : seulement le serveur, sans chemin (exemple : https://s3.fr-par.scw.cloud) ; le compartiment va dans S3_BUCKET.`);
      }
    } catch {
      problems.push("S3_ENDPOINT : ce n'est pas une URL valide (exemple : https://s3.fr-par.scw.cloud).");
    }
  }
  const accessKeyId = get('S3_ACCESS_KEY_ID') ?? null;
  const secretAccessKey = get('S3_SECRET_ACCESS_KEY') ?? null;
  if ((accessKeyId === null) !== (secretAccessKey === null)) {
    problems.push(
      "S3_ACCESS_KEY_ID et S3_SECRET_ACCESS_KEY vont ensemble : donnez les deux, ou aucune (les identifiants viennent alors de l'environnement AWS ou du rôle de la machine).",
    );
  }
  // Self-hosted stores (MinIO, Garage, Ceph) usually want the bucket in the path.
  const forcePathStyle = bool('S3_FORCE_PATH_STYLE', endpoint !== null);
  return { kind, bucket, region, endpoint, accessKeyId, secretAccessKey, forcePathStyle };
}
