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

  it('turns the demo off in production unless asked', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).demo).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', PREAU_DEMO: 'true' }).demo).toBe(true);
  });
});
