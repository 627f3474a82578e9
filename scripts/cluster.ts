/**
 * `npm run cluster [-- --nodes 3] [--port 8080] [--database-url URL] [--redis-url URL] [--pass-forwarded-for]`
 *
 * A local Préau cluster on this machine: N nodes on loopback ports behind nginx (from Debian,
 * installed if missing), on the machine's PostgreSQL (database `preau_cluster`, created if
 * missing) and Redis; the demo school seeded once; the address printed; everything stopped on
 * Ctrl-C or SIGTERM. The signing secret and the shared file store live under data/cluster/, so
 * sessions and files survive a restart of the cluster. See docs/cluster.md.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../src/modules/schools/index.ts';
import { findNginx, startCluster } from './lib/cluster.ts';
import { ROOT } from './lib/spawn-preau.ts';

const USAGE = `Usage : npm run cluster -- [--nodes N] [--port PORT] [--database-url URL] [--redis-url URL] [--pass-forwarded-for]
  --nodes               nombre de nœuds Préau (1 à 16, 3 par défaut)
  --port                port de nginx sur 127.0.0.1 (8080 par défaut)
  --database-url        PostgreSQL (postgres://postgres@127.0.0.1:5432/preau_cluster par défaut ; la base est créée si besoin)
  --redis-url           Redis (redis://127.0.0.1:6379/2 par défaut)
  --pass-forwarded-for  garder l'X-Forwarded-For envoyé par le client (pour « npm run rehearse -- --url »)
`;

const say = (line: string) => process.stdout.write(`${line}\n`);

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function readOptions() {
  let parsed;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      options: {
        nodes: { type: 'string', default: '3' },
        port: { type: 'string', default: '8080' },
        'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/preau_cluster' },
        'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379/2' },
        'pass-forwarded-for': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    fail(`Option invalide : ${(error as Error).message}\n\n${USAGE}`);
  }
  if (parsed.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const nodes = Number(parsed.nodes);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 16) fail(`--nodes="${parsed.nodes}" : attendu un nombre entier entre 1 et 16.`);
  const port = Number(parsed.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`--port="${parsed.port}" : attendu un port entre 1 et 65535.`);
  for (const [flag, protocols] of [['database-url', ['postgres:', 'postgresql:']], ['redis-url', ['redis:', 'rediss:']]] as const) {
    let ok = false;
    try {
      ok = (protocols as readonly string[]).includes(new URL(parsed[flag]).protocol);
    } catch {
      ok = false;
    }
    if (!ok) fail(`--${flag}="${parsed[flag]}" : attendu une URL ${protocols[0]}//…`);
  }
  return { nodes, port, databaseUrl: parsed['database-url'], redisUrl: parsed['redis-url'], passForwardedFor: parsed['pass-forwarded-for'] };
}

/** nginx from Debian when missing; PostgreSQL and Redis running (scripts/ensure-services.sh). */
function ensureServices(): void {
  const result = spawnSync('bash', [path.join(ROOT, 'scripts', 'ensure-services.sh'), 'postgres', 'redis', 'nginx'], { stdio: 'inherit' });
  if (result.status !== 0) fail('Impossible de préparer PostgreSQL, Redis et nginx (voir ci-dessus).');
  if (!findNginx()) fail("nginx est toujours introuvable après l'installation.");
}

/** Creates the cluster's database when it does not exist yet. */
async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!/^[\w-]+$/.test(name)) fail(`--database-url : nom de base invalide « ${name} ».`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  await client.connect().catch((error: unknown) => fail(`PostgreSQL injoignable (${admin.host}) : ${(error as Error).message}`));
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE "${name}"`);
      say(`base « ${name} » créée`);
    }
  } finally {
    await client.end();
  }
}

/** The shared signing secret, generated once into data/cluster/secret.key. */
function clusterSecret(dir: string): string {
  const file = path.join(dir, 'secret.key');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  return readFileSync(file, 'utf8').trim();
}

const o = readOptions();
ensureServices();
await ensureDatabase(o.databaseUrl);
if (!existsSync(path.join(ROOT, 'web', 'dist', 'index.html'))) {
  say("construction de l'application web (web/dist manquant)…");
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
}
const home = path.join(ROOT, 'data', 'cluster');
const cluster = await startCluster({
  nodes: o.nodes,
  port: o.port,
  databaseUrl: o.databaseUrl,
  redisUrl: o.redisUrl,
  secret: clusterSecret(home),
  dataDir: path.join(home, 'data'),
  passForwardedFor: o.passForwardedFor,
  demo: true,
  env: { NODE_ENV: process.env['NODE_ENV'] ?? 'development' },
  log: say,
}).catch((error: unknown) => fail(`La grappe n'a pas démarré : ${(error as Error).message}`));

say('');
say(`  Grappe Préau prête : ${cluster.url}`);
say(`  ${o.nodes} nœud(s) : ${cluster.nodeUrls.join(', ')} · nginx : ${cluster.runDir}`);
say(`  PostgreSQL : ${o.databaseUrl} · Redis : ${o.redisUrl} · fichiers : ${path.join(home, 'data', 'blobs')}`);
say(`  Comptes de démonstration (mot de passe « ${DEMO_PASSWORD} ») :`);
for (const account of DEMO_ACCOUNTS) say(`    ${account.login.padEnd(16)} ${account.label}`);
if (o.passForwardedFor) say(`  Répétition : npm run rehearse -- --url ${cluster.url} --database-url ${o.databaseUrl}`);
say('  Ctrl-C pour tout arrêter.');
say('');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    say('\narrêt de la grappe…');
    void cluster.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`${String(error)}\n`);
        process.exit(1);
      },
    );
  });
}
