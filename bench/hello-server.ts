/**
 * The machine's baseline: the smallest Fastify server (no plugins, no logging) answering
 * GET / with `{"hello":"world"}`. Started as a child by bench/run.ts on the server's core, so
 * every Préau figure can be read as a fraction of what this machine gives any Node HTTP route.
 */
import Fastify from 'fastify';

const port = Number(process.argv[2] ?? 0);
const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
const address = await app.listen({ port, host: '127.0.0.1' });
process.stdout.write(`ready ${address}\n`);
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void app.close().then(() => process.exit(0)));
