/**
 * Starts Préau: reads the configuration, builds the app, seeds the demo school on an empty
 * embedded database, listens, and drains gracefully on SIGTERM/SIGINT (in-flight requests finish,
 * new ones get 503, then the database closes: no acknowledged write is lost).
 */
import { buildApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { seedDemoPlatform } from './demo.ts';
import { DEMO_ACCOUNTS, DEMO_ACTIVATION, DEMO_PASSWORD } from './modules/schools/index.ts';

export async function start(config: Config): Promise<() => Promise<void>> {
  const { app, deps, beginDrain } = await buildApp({ config });
  if (config.demo) {
    const seeded = await seedDemoPlatform({ db: deps.database.db, blobs: deps.blobs, now: new Date(deps.clock.now()) }, (line) =>
      app.log.info(line),
    );
    if (seeded) app.log.info('demo school seeded');
  }
  const address = await app.listen({ port: config.port, host: config.host });

  const url = address.replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
  const lines = [
    '',
    `  Préau est prêt : ${url}`,
    `  Base : ${deps.database.kind === 'pglite' ? `PGlite (embarquée) dans ${config.dataDir}` : 'PostgreSQL'}` +
      ` · état partagé : ${deps.state.kind === 'memory' ? 'en mémoire' : 'Redis'}`,
  ];
  if (config.demo) {
    lines.push(`  Comptes de démonstration (mot de passe « ${DEMO_PASSWORD} ») :`);
    for (const account of DEMO_ACCOUNTS) lines.push(`    ${account.login.padEnd(16)} ${account.label}`);
    const a = DEMO_ACTIVATION;
    lines.push(`    Activation : code ${a.code} (${a.firstName} ${a.lastName}, élève de ${a.className}) sur ${url}/activation`);
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      app.log.info('shutting down: /ready now answers 503, then in-flight requests drain');
      beginDrain();
      // Give a load balancer's readiness probe a moment to notice before the listener closes.
      if (config.drainDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, config.drainDelayMs));
      const timer = setTimeout(() => {
        app.log.error('graceful shutdown timed out');
        process.exit(1);
      }, config.shutdownGraceSeconds * 1000);
      timer.unref();
      await app.close();
      clearTimeout(timer);
    })();
    return stopping;
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void stop().then(() => process.exit(0));
    });
  }
  return stop;
}

const isMain = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/server.ts');
if (isMain) {
  try {
    await start(loadConfig());
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
