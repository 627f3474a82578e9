import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('config', () => {
  it('defaults to the embedded mode on port 3000', () => {
    const c = loadConfig({}, '/srv/preau');
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', databaseUrl: null, redisUrl: null, demo: true, secrets: null });
    expect(c.dataDir).toBe('/srv/preau/data');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('honours PORT, HOST, DATA_DIR and DATABASE_URL', () => {
    const c = loadConfig({ PORT: '8080', HOST: '0.0.0.0', DATA_DIR: '/var/lib/preau', DATABASE_URL: 'postgres://u@db:5432/preau' });
    expect(c).toMatchObject({ port: 8080, host: '0.0.0.0', dataDir: '/var/lib/preau', databaseUrl: 'postgres://u@db:5432/preau' });
  });

  it('refuses every bad value at once, naming the variable and what it expects', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', PREAU_SECRET: 'short' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT="abc".*entier entre 0 et 65535/);
    expect(problems).toMatch(/DATABASE_URL.*protocole/);
    expect(problems).toMatch(/LOG_LEVEL="loud"/);
    expect(problems).toMatch(/PREAU_SECRET.*32 caractères/);
  });

  it('refuses a port out of range and an unparsable URL', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT="70000"/);
    expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL : ce n'est pas une URL valide/);
  });

  it('requires a shared secret when several nodes share Redis', () => {
    expect(() => loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/PREAU_SECRET : obligatoire avec REDIS_URL/);
    const c = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', PREAU_SECRET: 'x'.repeat(40) });
    expect(c.secrets).toEqual(['x'.repeat(40)]);
  });

  it('caps live update streams per node (LIVE_MAX_CONNECTIONS), refusing a non-integer', () => {
    expect(loadConfig({}).liveMaxConnections).toBe(10_000);
    expect(loadConfig({ LIVE_MAX_CONNECTIONS: '250' }).liveMaxConnections).toBe(250);
    expect(() => loadConfig({ LIVE_MAX_CONNECTIONS: 'beaucoup' })).toThrow(/LIVE_MAX_CONNECTIONS="beaucoup".*entier entre 0 et 1000000/);
  });

  it('bounds the wait for PostgreSQL (DB_CONNECT_TIMEOUT_MS, DB_QUERY_TIMEOUT_MS), refusing a bad value', () => {
    expect(loadConfig({})).toMatchObject({ dbConnectTimeoutMs: 3000, dbQueryTimeoutMs: 15_000 });
    expect(loadConfig({ DB_CONNECT_TIMEOUT_MS: '500', DB_QUERY_TIMEOUT_MS: '0' })).toMatchObject({ dbConnectTimeoutMs: 500, dbQueryTimeoutMs: 0 });
    expect(() => loadConfig({ DB_CONNECT_TIMEOUT_MS: '10' })).toThrow(/DB_CONNECT_TIMEOUT_MS="10".*entier entre 100 et 60000/);
    expect(() => loadConfig({ DB_QUERY_TIMEOUT_MS: 'vite' })).toThrow(/DB_QUERY_TIMEOUT_MS="vite"/);
  });

  it('chooses who goes ahead at the front door (PRIORITY_LANE), in French when wrong', () => {
    expect(loadConfig({}).priorityLane).toBe('lesson-soon');
    expect(loadConfig({ PRIORITY_LANE: 'staff' }).priorityLane).toBe('staff');
    expect(() => loadConfig({ PRIORITY_LANE: 'teachers' })).toThrow(/PRIORITY_LANE="teachers" : attendu l'une des valeurs lesson-soon, staff, off/);
  });

  it('turns the demo off in production unless asked', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).demo).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', PREAU_DEMO: 'true' }).demo).toBe(true);
  });
});

describe('config: file storage (STORAGE, BLOBS_DIR, S3_*)', () => {
  it('keeps files under DATA_DIR/blobs by default, or in BLOBS_DIR', () => {
    expect(loadConfig({}, '/srv/preau').storage).toEqual({ kind: 'local', dir: '/srv/preau/data/blobs' });
    expect(loadConfig({ DATA_DIR: '/var/lib/preau' }, '/srv').storage).toEqual({ kind: 'local', dir: '/var/lib/preau/blobs' });
    expect(loadConfig({ STORAGE: 'local', BLOBS_DIR: 'partage/blobs' }, '/srv').storage).toEqual({ kind: 'local', dir: '/srv/partage/blobs' });
  });

  it('reads an S3-compatible bucket, path style by default with an endpoint', () => {
    const env = { STORAGE: 's3', S3_BUCKET: 'preau-fichiers', S3_REGION: 'fr-par', S3_ENDPOINT: 'https://s3.fr-par.scw.cloud', S3_ACCESS_KEY_ID: 'SCWABC', S3_SECRET_ACCESS_KEY: 'secret' };
    expect(loadConfig(env).storage).toEqual({
      kind: 's3',
      bucket: 'preau-fichiers',
      region: 'fr-par',
      endpoint: 'https://s3.fr-par.scw.cloud',
      accessKeyId: 'SCWABC',
      secretAccessKey: 'secret',
      forcePathStyle: true,
    });
    // AWS itself: no endpoint, credentials from the SDK's chain, virtual-hosted style.
    expect(loadConfig({ STORAGE: 's3', S3_BUCKET: 'preau-prod', S3_REGION: 'eu-west-3' }).storage).toMatchObject({
      endpoint: null,
      accessKeyId: null,
      secretAccessKey: null,
      forcePathStyle: false,
    });
    expect(loadConfig({ ...env, S3_FORCE_PATH_STYLE: 'false' }).storage).toMatchObject({ forcePathStyle: false });
  });

  it('names every bad storage setting in French', () => {
    const problemsOf = (env: Record<string, string>): string => {
      try {
        loadConfig(env);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).problems.join('\n');
      }
      throw new Error('configuration acceptée');
    };
    expect(problemsOf({ STORAGE: 'ftp' })).toMatch(/STORAGE="ftp" : attendu l'une des valeurs local, s3/);
    const missing = problemsOf({ STORAGE: 's3' });
    expect(missing).toMatch(/S3_BUCKET : obligatoire avec STORAGE=s3/);
    expect(missing).toMatch(/S3_REGION : obligatoire avec STORAGE=s3/);
    const bad = problemsOf({
      STORAGE: 's3',
      S3_BUCKET: 'Mon_Bucket',
      S3_REGION: 'Paris 1',
      S3_ENDPOINT: 'ftp://stockage/preau',
      S3_ACCESS_KEY_ID: 'AKIA',
      S3_FORCE_PATH_STYLE: 'peut-être',
      BLOBS_DIR: '/partage',
    });
    expect(bad).toMatch(/S3_BUCKET="Mon_Bucket" : nom de compartiment invalide/);
    expect(bad).toMatch(/S3_REGION="Paris 1"/);
    expect(bad).toMatch(/S3_ENDPOINT : l'adresse doit commencer par https:\/\//);
    expect(bad).toMatch(/S3_ENDPOINT : seulement le serveur, sans chemin/);
    expect(bad).toMatch(/S3_ACCESS_KEY_ID et S3_SECRET_ACCESS_KEY vont ensemble/);
    expect(bad).toMatch(/S3_FORCE_PATH_STYLE="peut-être" : attendu true ou false/);
    expect(bad).toMatch(/BLOBS_DIR : sans effet avec STORAGE=s3/);
    expect(problemsOf({ STORAGE: 's3', S3_BUCKET: 'preau', S3_REGION: 'eu-west-3', S3_ENDPOINT: 'pas une adresse' })).toMatch(/S3_ENDPOINT : ce n'est pas une URL valide/);
    expect(problemsOf({ S3_BUCKET: 'preau' })).toMatch(/S3_BUCKET : sans effet avec STORAGE=local/);
  });
});
