import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFrontDoor, parseFrontDoorCommand, runFrontDoorCommand } from './front-door-cli.ts';
import { buildTestApp, type TestApp } from './test/app.ts';
import { FIXTURE_PASSWORD, createSchoolFixture } from './test/fixtures.ts';
import { hashPassword } from './modules/identity/index.ts';

describe('parsing the salle-attente command', () => {
  it('reads status, caps and attack modes, in French or English', () => {
    expect(parseFrontDoorCommand([])).toBeNull();
    expect(parseFrontDoorCommand(['status'])).toBeNull();
    expect(parseFrontDoorCommand(['plafond', '600'])).toEqual({ capPerMinute: 600 });
    expect(parseFrontDoorCommand(['cap', 'none'])).toEqual({ capPerMinute: null });
    expect(parseFrontDoorCommand(['attaque', 'on'])).toEqual({ attackMode: 'on' });
  });

  it('refuses nonsense with a message that says what is expected', () => {
    expect(() => parseFrontDoorCommand(['plafond', '0'])).toThrow(/entier positif/);
    expect(() => parseFrontDoorCommand(['attaque', 'peut-être'])).toThrow(/on, off ou auto/);
    expect(() => parseFrontDoorCommand(['vider'])).toThrow(/Commande inconnue/);
  });
});

describe('the status an operator reads', () => {
  it('names the lanes in French and shows the node’s busy time', () => {
    const lane = (name: string, waiting: number) => ({ name, waiting, open: waiting === 0, frontierLagSeconds: 3, pacePerSecond: 12.5, waitLowSeconds: 10, waitHighSeconds: 30 });
    const text = formatFrontDoor({
      budgetPerSecond: 40,
      capPerMinute: null,
      attackMode: 'auto',
      attackActive: false,
      nodes: 2,
      isLeader: true,
      sharedStateHealthy: true,
      limiter: { limit: 200, inflight: 12, eventLoopDelayMs: 4, busy: 0.83, overloaded: false },
      lanes: [lane('priority', 0), lane('returning', 1200), lane('general', 300), lane('apprentis', 4)],
    });
    expect(text).toMatch(/occupé 83 %/);
    expect(text).toMatch(/^prioritaire\s+0\s/m);
    expect(text).toMatch(/^retour\s+1200\s/m);
    expect(text).toMatch(/^générale\s+300\s/m);
    // A lane configured under another name shows as is.
    expect(text).toMatch(/^apprentis\s+4\s/m);
    expect(text).not.toMatch(/returning/);
  });
});

describe('driving a running server', () => {
  let t: TestApp;
  let url: string;
  beforeAll(async () => {
    t = await buildTestApp();
    await createSchoolFixture(t.deps.database.db, { passwordHash: await hashPassword(FIXTURE_PASSWORD) });
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => t.close());

  const run = async (command: string[], login = 'operateur') => {
    // Each command signs in afresh; a person does not type them all in the same second, and
    // sign-in is rate-limited per account.
    t.clock.advance(120_000);
    let text = '';
    const out = new Writable({
      write(chunk: Buffer, _enc, done) {
        text += chunk.toString();
        done();
      },
    });
    const code = await runFrontDoorCommand({ url, login, password: FIXTURE_PASSWORD, command }, out);
    return { code, text };
  };

  it('gets through attack mode like a browser (solves the puzzle), then shows the status', async () => {
    await t.frontDoor.setAttackMode('on');
    expect((await run(['status'])).text).toMatch(/plafond : aucun/);
    const status = (await run(['status'])).text;
    expect(status).toMatch(/Mode attaque : on \(actif\)/);
    expect(status).toMatch(/occupé \d+ %/);
    await run(['attaque', 'auto']);
  });

  it('sets a cap and attack mode', async () => {
    expect((await run(['plafond', '300'])).text).toMatch(/plafond : 300 par minute/);
    expect((await run(['attaque', 'on'])).text).toMatch(/Mode attaque : on \(actif\)/);
    expect(t.frontDoor.getStatus()).toMatchObject({ capPerMinute: 300, attackMode: 'on' });
    await run(['attaque', 'auto']);
    await run(['plafond', 'aucun']);
  });

  it('refuses someone who is not an operator', async () => {
    await expect(run(['status'], 'claire.dubois')).rejects.toThrow(/pas le droit/);
  });
});
