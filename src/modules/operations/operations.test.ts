import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, browsers } from '../../test/app.ts';
import { FIXTURE_PASSWORD, createSchoolFixture } from '../../test/fixtures.ts';
import { hashPassword } from '../identity/index.ts';

let t: TestApp;
const as = browsers(() => t.app, FIXTURE_PASSWORD);

beforeAll(async () => {
  t = await buildTestApp({ frontDoor: { limiter: { initialLimit: 50, minLimit: 50, maxLimit: 50 } } });
  await createSchoolFixture(t.deps.database.db, { passwordHash: await hashPassword(FIXTURE_PASSWORD) });
  await t.frontDoor.step();
});
afterAll(() => t.close());

describe('operating the waiting room', () => {
  it('shows the operator the lanes, budget, cap and attack mode', async () => {
    const res = await (await as('operateur')).get('/api/operator/front-door');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ capPerMinute: null, attackMode: 'auto', attackActive: false });
    expect(res.json().lanes.map((l: { name: string }) => l.name).sort()).toEqual(['general', 'priority', 'returning']);
  });

  it('is for operators only (403), even for a principal, and needs a session (401)', async () => {
    expect((await (await as('claire.dubois')).get('/api/operator/front-door')).statusCode).toBe(403);
    const put = await (await as('nathalie.roux')).request({ method: 'PUT', url: '/api/operator/front-door', payload: { attackMode: 'on' } });
    expect(put.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/operator/front-door' })).statusCode).toBe(401);
  });

  it('refuses bad settings with a message (400)', async () => {
    const op = await as('operateur');
    for (const payload of [{}, { capPerMinute: 0 }, { attackMode: 'maybe' }, { capPerMinute: 10, extra: 1 }]) {
      const res = await op.request({ method: 'PUT', url: '/api/operator/front-door', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION');
    }
  });

  it('a cap makes newcomers wait in line while signed-in people keep going', async () => {
    const op = await as('operateur');
    const pupil = await as('lea.martin');
    const capped = await op.request({ method: 'PUT', url: '/api/operator/front-door', payload: { capPerMinute: 1 } });
    expect(capped.json().capPerMinute).toBe(1);
    await t.frontDoor.step();

    const statuses: number[] = [];
    let waiting: { error: { code: string; message: string; details: { ahead: number } } } | null = null;
    for (let i = 0; i < 5; i++) {
      const res = await t.app.inject({ method: 'GET', url: '/api/auth/csrf', headers: { 'user-agent': `Newcomer ${i}` } });
      statuses.push(res.statusCode);
      if (res.statusCode === 503) waiting = res.json();
    }
    expect(statuses).toContain(503);
    expect(waiting?.error.code).toBe('WAITING_ROOM');
    expect((await pupil.get('/api/dashboard')).statusCode).toBe(200); // a remembered session skips the line

    await op.request({ method: 'PUT', url: '/api/operator/front-door', payload: { capPerMinute: null } });
  });

  it('attack mode is switched on and off by the operator', async () => {
    const op = await as('operateur');
    const on = await op.request({ method: 'PUT', url: '/api/operator/front-door', payload: { attackMode: 'on' } });
    expect(on.json()).toMatchObject({ attackMode: 'on', attackActive: true });
    const off = await op.request({ method: 'PUT', url: '/api/operator/front-door', payload: { attackMode: 'off' } });
    expect(off.json()).toMatchObject({ attackMode: 'off', attackActive: false });
  });
});

describe('metrics', () => {
  it('exports the waiting room and process figures for Prometheus', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/preau_waiting_room_waiting\{lane="general"\} \d+/);
    expect(res.body).toMatch(/preau_admission_budget_per_second/);
    expect(res.body).toMatch(/preau_process_resident_memory_bytes/);
  });
});
