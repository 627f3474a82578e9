import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryState } from '../platform/shared-state/memory.ts';
import { manualClock } from '../shared/time.ts';
import { solveChallenge } from './attack-mode.ts';
import { registerFrontDoor, type FrontDoorControl, type FrontDoorOptions } from './front-door.plugin.ts';
import { silentLog, testSigner } from './front-door.test-support.ts';

/** A browser-like client: its own address, user agent and cookie jar. */
class Client {
  readonly cookies = new Map<string, string>();

  constructor(
    private readonly app: FastifyInstance,
    readonly ip: string,
    private readonly extraCookie = '',
  ) {}

  async request(method: 'GET' | 'POST', url: string, payload?: unknown): Promise<LightMyRequestResponse> {
    const jar = [...this.cookies].map(([k, v]) => `${k}=${v}`);
    if (this.extraCookie) jar.push(this.extraCookie);
    const res = await this.app.inject({
      method,
      url,
      remoteAddress: this.ip,
      headers: { 'user-agent': 'Mozilla/5.0 (test)', 'accept-language': 'fr-FR,fr;q=0.9', ...(jar.length ? { cookie: jar.join('; ') } : {}) },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
    const setCookie = res.headers['set-cookie'];
    for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      if (/Max-Age=0(;|$)/.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(eq + 1));
    }
    return res;
  }

  get(url: string): Promise<LightMyRequestResponse> {
    return this.request('GET', url);
  }
}

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function setUp(options: Partial<FrontDoorOptions> = {}) {
  const app = Fastify();
  apps.push(app);
  const state = createMemoryState();
  app.addHook('onClose', async () => state.close());
  const clock = manualClock();
  const control = await registerFrontDoor(
    app,
    { state, clock, signer: testSigner(), log: silentLog },
    {
      hasActiveSession: (r) => r.headers.cookie?.includes('session=ok') ?? false,
      hasRememberedSession: (r) => /(session|memorise)=ok/.test(r.headers.cookie ?? ''),
      priorityCredential: (r) => r.headers.cookie?.includes('enseignant=ok') ?? false,
      timers: false,
      limiter: { initialLimit: 4, minLimit: 4, maxLimit: 4 },
      // Busy time is the real process's (these tests keep it at 100 % while they run); the gate
      // itself is tested in admission.test.ts with a health that says so.
      saturationGate: false,
      ...options,
    },
  );
  const slow: Array<() => void> = [];
  app.get('/', async () => ({ page: 'accueil' }));
  app.get('/api/data', async () => ({ data: 1 }));
  app.get('/recherche', { config: { criticality: 'sheddable' } }, async () => ({ found: [] }));
  app.get('/tableau-de-bord', { config: { criticality: 'critical' } }, async () => ({ page: 'tableau' }));
  // One route, two kinds of work: reading the inbox is critical, searching it is sheddable.
  const inbox = (r: { query: unknown }) => ((r.query as { q?: string }).q ? ('sheddable' as const) : ('critical' as const));
  app.get('/messages', { config: { criticality: inbox } }, async () => ({ threads: [] }));
  app.get('/lent', async () => new Promise((resolve) => slow.push(() => resolve({ done: true }))));
  app.get('/health', async () => ({ status: 'ok' }));
  await app.ready();
  /** Advances the manual clock in 50 ms steps, running the front door's background work. */
  const run = async (ms: number) => {
    for (let t = 0; t < ms; t += 50) {
      clock.advance(50);
      await control.step();
    }
  };
  await control.step();
  return { app, control, clock, run, slow, client: (ip: string, cookie = '') => new Client(app, ip, cookie) };
}

async function forceLowCap(control: FrontDoorControl, perMinute: number) {
  await control.setCap(perMinute);
  await control.step();
}

describe('when the platform is not full', () => {
  it('lets everybody straight in: nobody sees the waiting room', async () => {
    const { client } = await setUp();
    for (let i = 0; i < 20; i++) {
      const c = client(`192.0.2.${i + 1}`);
      const res = await c.get('/');
      expect(res.statusCode).toBe(200);
      expect(c.cookies.has('preau_adm')).toBe(true);
      expect(c.cookies.has('preau_tkt')).toBe(false);
    }
  });

  it('never gates the exempt paths', async () => {
    const { client, control } = await setUp();
    await forceLowCap(control, 1);
    await client('192.0.2.1').get('/');
    expect((await client('192.0.2.2').get('/health')).statusCode).toBe(200);
    expect((await client('192.0.2.3').get('/file-attente/etat.json')).statusCode).toBe(200);
  });
});

describe('with a forced low cap', () => {
  it('admits the first client, queues the second with people ahead and a wait range, then lets it in by itself', async () => {
    const { client, control, run } = await setUp();
    await forceLowCap(control, 1);
    const first = client('192.0.2.10');
    expect((await first.get('/')).statusCode).toBe(200);

    const second = client('198.51.100.20');
    const page = await second.get('/');
    expect(page.statusCode).toBe(503);
    expect(page.headers['content-type']).toContain('text/html');
    expect(Number(page.headers['retry-after'])).toBeGreaterThan(0);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toMatch(/devant vous/);
    expect(page.body).toMatch(/Attente estimée\u00a0: entre \d+ et \d+ (secondes|minutes)/);
    expect(second.cookies.has('preau_tkt')).toBe(true);

    await run(1_000);
    const api = await second.get('/api/data');
    expect(api.statusCode).toBe(503);
    expect(api.headers['retry-after']).toBeDefined();
    const body = api.json<{ error: { code: string; details: { ahead: number; waitLowSeconds: number; waitHighSeconds: number; retryAfterSeconds: number } } }>();
    expect(body.error.code).toBe('WAITING_ROOM');
    expect(body.error.details.ahead).toBe(0);
    expect(body.error.details.waitHighSeconds).toBeGreaterThan(body.error.details.waitLowSeconds);
    expect(body.error.details.retryAfterSeconds).toBeGreaterThan(0);

    let admittedAfter = -1;
    for (let s = 5; s <= 240 && admittedAfter < 0; s += 5) {
      await run(5_000);
      if ((await first.get('/')).statusCode !== 200) throw new Error('the admitted client lost its pass');
      if ((await second.get('/')).statusCode === 200) admittedAfter = s;
    }
    expect(admittedAfter).toBeGreaterThan(0);
    expect(second.cookies.has('preau_adm')).toBe(true);
    expect(second.cookies.has('preau_tkt')).toBe(false);
  });

  it('keeps a queued person in the same place across refreshes', async () => {
    const { client, control } = await setUp();
    await forceLowCap(control, 1);
    await client('192.0.2.10').get('/');
    const waiting = client('198.51.100.20');
    await waiting.get('/');
    const ticket = waiting.cookies.get('preau_tkt');
    await waiting.get('/');
    await waiting.get('/autre-page');
    expect(waiting.cookies.get('preau_tkt')).toBe(ticket);
  });

  it('lets a person with an active session through without queueing', async () => {
    const { client, control } = await setUp();
    await forceLowCap(control, 1);
    await client('192.0.2.10').get('/');
    expect((await client('198.51.100.30', 'session=ok').get('/')).statusCode).toBe(200);
  });

  it('queues a remembered session in the returning lane while full, with its place kept, then lets it in', async () => {
    const { client, control, run } = await setUp();
    await forceLowCap(control, 1);
    // The lane's own share of the budget lets the first one straight in.
    expect((await client('192.0.2.10', 'memorise=ok').get('/')).statusCode).toBe(200);
    const back = client('198.51.100.31', 'memorise=ok');
    const page = await back.get('/');
    expect(page.statusCode).toBe(503);
    expect(page.body).toMatch(/devant vous/);
    expect(page.body).toContain('data-l="returning"');
    const ticket = back.cookies.get('preau_tkt');
    expect(ticket).toBeDefined();
    const api = await back.get('/api/data');
    expect(api.statusCode).toBe(503);
    expect(api.json<{ error: { code: string } }>().error.code).toBe('WAITING_ROOM');
    expect(back.cookies.get('preau_tkt')).toBe(ticket);
    let admitted = false;
    for (let s = 0; s < 48 && !admitted; s++) {
      await run(5_000);
      admitted = (await back.get('/')).statusCode === 200;
    }
    expect(admitted).toBe(true);
    expect(back.cookies.has('preau_adm')).toBe(true);
  });

  it('lets a remembered session straight in when there is room', async () => {
    const { client } = await setUp();
    const back = client('198.51.100.32', 'memorise=ok');
    expect((await back.get('/')).statusCode).toBe(200);
    expect(back.cookies.has('preau_adm')).toBe(true);
    expect(back.cookies.has('preau_tkt')).toBe(false);
  });

  it('sends a proven teacher ahead of the general queue', async () => {
    const { client, control, run } = await setUp();
    await forceLowCap(control, 60);
    const pupils = Array.from({ length: 30 }, (_, i) => client(`10.0.${i}.1`));
    for (const p of pupils) await p.get('/');
    await run(1_000);
    const teacher = client('10.9.9.9', 'enseignant=ok');
    await teacher.get('/');
    let teacherIn = -1;
    let pupilsIn = 0;
    for (let s = 1; s <= 40 && teacherIn < 0; s++) {
      await run(1_000);
      if ((await teacher.get('/')).statusCode === 200) teacherIn = s;
      for (const p of pupils) if (!p.cookies.has('preau_adm') && (await p.get('/')).statusCode === 200) pupilsIn++;
    }
    expect(teacherIn).toBeGreaterThan(0);
    expect(teacherIn).toBeLessThan(6);
    expect(pupilsIn).toBeLessThan(20);
  });
});

describe('when requests in flight reach the adaptive limit', () => {
  it('queues newcomers, sheds sheddable work first, keeps critical routes, and recovers by itself', async () => {
    const { client, run, slow } = await setUp();
    const member = client('192.0.2.50');
    expect((await member.get('/')).statusCode).toBe(200);
    const inFlight = Array.from({ length: 4 }, (_, i) => client(`192.0.2.${60 + i}`).get('/lent'));
    await new Promise((r) => setTimeout(r, 20));
    const newcomer = client('203.0.113.9');
    expect((await newcomer.get('/')).statusCode).toBe(503);
    const shed = await member.get('/recherche');
    expect(shed.statusCode).toBe(503);
    expect(shed.headers['content-type']).toMatch(/text\/html/); // a page that reloads itself, not raw JSON
    expect(shed.body).toMatch(/Préau est très sollicité/);
    expect(Number(shed.headers['retry-after'])).toBeGreaterThan(0);
    expect((await member.get('/tableau-de-bord')).statusCode).toBe(200);
    expect((await member.get('/messages?q=sortie')).statusCode).toBe(503);
    expect((await member.get('/messages')).statusCode).toBe(200);
    slow.splice(0).forEach((release) => release());
    await Promise.all(inFlight);
    let admitted = false;
    for (let s = 0; s < 30 && !admitted; s++) {
      await run(1_000);
      admitted = (await newcomer.get('/')).statusCode === 200;
    }
    expect(admitted).toBe(true);
    expect((await member.get('/recherche')).statusCode).toBe(200);
  });
});

describe('waiting-room routes', () => {
  it('serves the state document, cacheable for one second', async () => {
    const { client } = await setUp();
    const res = await client('192.0.2.1').get('/file-attente/etat.json');
    expect(res.headers['cache-control']).toBe('public, max-age=1');
    const doc = res.json<{ lanes: Record<string, { f: number; h: unknown[] }> }>();
    expect(Object.keys(doc.lanes).sort()).toEqual(['general', 'priority', 'returning']);
    expect(JSON.stringify(doc)).not.toContain('leader');
  });

  it('sends an admitted person on to where they were going', async () => {
    const { client } = await setUp();
    const res = await client('192.0.2.1').get('/file-attente?vers=%2Ftableau-de-bord');
    expect(res.statusCode).toBe(303);
    expect(res.headers['location']).toBe('/tableau-de-bord');
  });

  it('reports its figures and obeys the operator switches', async () => {
    const { control } = await setUp();
    await control.setCap(120);
    await control.setAttackMode('on');
    const status = control.getStatus();
    expect(status).toMatchObject({ capPerMinute: 120, attackMode: 'on', attackActive: true, isLeader: true });
    expect(Object.keys(status.lanes).sort()).toEqual(['general', 'priority', 'returning']);
    await control.setCap(null);
    await control.setAttackMode('auto');
    expect(control.getStatus()).toMatchObject({ capPerMinute: null, attackMode: 'auto' });
  });
});

describe('attack mode', () => {
  it('asks newcomers for a proof of work, whose solution yields their place; holders never see it', async () => {
    const { client, control } = await setUp({ powBits: 8 });
    const member = client('192.0.2.1');
    await member.get('/');
    await control.setAttackMode('on');
    expect((await member.get('/')).statusCode).toBe(200);

    const newcomer = client('198.51.100.7');
    const page = await newcomer.get('/');
    expect(page.statusCode).toBe(503);
    expect(page.body).toContain('<progress');
    const api = await newcomer.get('/api/data');
    const details = api.json<{ error: { details: { challenge: string; bits: number } } }>().error.details;
    expect(details.bits).toBe(8);
    const counter = solveChallenge(details.challenge, details.bits)!;
    const redeemed = await newcomer.request('POST', '/file-attente/jeton', { challenge: details.challenge, counter, next: '/' });
    expect(redeemed.statusCode).toBe(200);
    expect(redeemed.json()).toEqual({ next: '/' });
    expect(newcomer.cookies.has('preau_adm') || newcomer.cookies.has('preau_tkt')).toBe(true);
    expect((await newcomer.get('/')).body).not.toContain('<progress');

    const forged = await client('203.0.113.8').request('POST', '/file-attente/jeton', { challenge: details.challenge, counter, next: '/' });
    expect(forged.statusCode).toBe(400);

    const back = client('198.51.100.9', 'memorise=ok');
    const backPage = await back.get('/');
    expect(backPage.body).not.toContain('<progress');
    expect(backPage.statusCode === 200 || back.cookies.has('preau_tkt')).toBe(true);
  });
});
