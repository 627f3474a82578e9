import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFrontDoorCommand, runFrontDoorCommand } from './front-door-cli.ts';
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
    expect((await run(['status'])).text).toMatch(/Mode attaque : on \(actif\)/);
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
