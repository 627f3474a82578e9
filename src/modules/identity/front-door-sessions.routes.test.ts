/**
 * The front door's two session checks through the real app (identity.http.ts): an active session
 * (valid identity pass `preau_pass`) never queues; a remembered session alone (`preau_sid`, the
 * pass ran out overnight) waits in the `returning` lane while the platform is full; a forged
 * `preau_sid` is a newcomer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, buildTestApp, type TestApp } from '../../test/app.ts';
import { FIXTURE_PASSWORD, createSchoolFixture } from '../../test/fixtures.ts';
import { hashPassword } from './passwords.ts';
import { PASS_COOKIE, SESSION_COOKIE } from './session-tokens.ts';

let t: TestApp;
const people: Record<string, Client> = {};

beforeAll(async () => {
  t = await buildTestApp();
  await createSchoolFixture(t.deps.database.db, { passwordHash: await hashPassword(FIXTURE_PASSWORD) });
  for (const login of ['lea.martin', 'hugo.bernard', 'karim.benali', 'sophie.martin']) {
    const c = new Client(t.app);
    await c.signIn(login, FIXTURE_PASSWORD);
    people[login] = c;
  }
  // The platform is full: one admission per minute for the whole cluster.
  await t.frontDoor.setCap(1);
  await t.frontDoor.step();
});
afterAll(() => t.close());

/** The morning after: the 5-minute identity pass and the front door's admission pass are gone. */
const overnight = (c: Client): Client => {
  c.forget(PASS_COOKIE);
  c.forget('preau_adm');
  return c;
};

const laneShown = async (c: Client): Promise<string | null> => {
  const page = await c.get('/file-attente?vers=%2F');
  return page.statusCode === 200 ? (/data-l="([a-z0-9-]+)"/.exec(page.body)?.[1] ?? null) : null;
};

describe('the front door and identity', () => {
  it('lets an active session (valid identity pass) through without queueing, even while full', async () => {
    const active = people['karim.benali']!;
    active.forget('preau_adm');
    expect((await active.get('/api/me')).statusCode).toBe(200);
    expect(active.cookie('preau_tkt')).toBeUndefined();
    expect(active.cookie('preau_adm')).toBeDefined();
  });

  it('queues a remembered session alone in the returning lane while full (once the lane’s share is spent)', async () => {
    const answers: number[] = [];
    const lanes: Array<string | null> = [];
    for (const login of ['lea.martin', 'hugo.bernard']) {
      const c = overnight(people[login]!);
      const res = await c.get('/api/me');
      answers.push(res.statusCode);
      if (res.statusCode === 503) {
        expect(res.json<{ error: { code: string } }>().error.code).toBe('WAITING_ROOM');
        expect(c.cookie('preau_tkt')).toBeDefined();
        lanes.push(await laneShown(c));
      }
    }
    expect(answers).toContain(503);
    expect(lanes.every((l) => l === 'returning')).toBe(true);
  });

  it('keeps an active person going when the identity pass lapses, though the returning lane is queueing', async () => {
    // The admission pass given with the active session: when the identity pass lapses (it is
    // renewed only once expired), the next request still goes through, resumes the session and
    // brings a fresh identity pass — nobody is sent to the waiting room mid-lesson.
    const active = people['karim.benali']!;
    expect(active.cookie('preau_adm')).toBeDefined();
    active.forget(PASS_COOKIE);
    expect((await active.get('/api/me')).statusCode).toBe(200);
    expect(active.cookie(PASS_COOKIE)).toBeDefined();
    expect(active.cookie('preau_tkt')).toBeUndefined();
    // Without it (both passes gone), the same person waits in the returning lane.
    const idle = overnight(active);
    expect((await idle.get('/api/me')).statusCode).toBe(503);
    expect(await laneShown(idle)).toBe('returning');
  });

  it('treats a forged remembered session as a newcomer', async () => {
    const forger = overnight(people['sophie.martin']!);
    const sid = forger.cookie(SESSION_COOKIE)!;
    const cookie = `${SESSION_COOKIE}=${sid.slice(0, -4)}${sid.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    // Same payload, another signature: the check fails, so this is an ordinary arrival. The first
    // arrivals may still find the general lane's share unspent and go straight in (303).
    let lane: string | null = null;
    for (let i = 0; i < 3 && lane === null; i++) {
      const res = await new Client(t.app).request({ method: 'GET', url: '/file-attente?vers=%2F', headers: { cookie } });
      if (res.statusCode === 200) lane = /data-l="([a-z0-9-]+)"/.exec(res.body)?.[1] ?? 'none';
    }
    expect(lane).toBe('general');
  });
});
