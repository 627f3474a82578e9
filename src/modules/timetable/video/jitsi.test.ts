import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config.ts';
import { JitsiProvider } from './jitsi.ts';
import { createVideoProviders } from './video-provider.ts';

const KEY = Buffer.alloc(32, 7);
const LESSON = '11111111-2222-4333-8444-555555555555';

describe('Jitsi rooms', () => {
  it('names a lesson’s room from an HMAC of its id: stable, different per lesson and per server key', async () => {
    const jitsi = new JitsiProvider({ baseUrl: 'https://visio.example.org/', key: KEY });
    const name = jitsi.roomName(LESSON);
    expect(name).toMatch(/^Preau[0-9a-f]{32}$/);
    expect(jitsi.roomName(LESSON)).toBe(name);
    expect(jitsi.roomName('11111111-2222-4333-8444-555555555556')).not.toBe(name);
    expect(new JitsiProvider({ baseUrl: 'https://visio.example.org', key: Buffer.alloc(32, 8) }).roomName(LESSON)).not.toBe(name);
    expect(name).not.toContain(LESSON.slice(0, 8));

    const room = await jitsi.createRoom({ lessonId: LESSON, date: '2026-09-07', title: 'Maths — 6e A' });
    expect(room.joinUrlFor({ id: 'u', fullName: 'Léa Martin' }, 'attendee')).toBe(
      `https://visio.example.org/${name}#userInfo.displayName=%22L%C3%A9a%20Martin%22&config.subject=%22Maths%20%E2%80%94%206e%20A%22`,
    );
  });
});

describe('video settings (config.ts)', () => {
  const load = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env });

  it('defaults to Jitsi on meet.jit.si with no BigBlueButton', () => {
    expect(load({}).video).toEqual({ provider: 'jitsi', jitsiBaseUrl: 'https://meet.jit.si', bbb: null });
  });

  it('reads a BigBlueButton server with its secret and checksum algorithm', () => {
    const video = load({ VIDEO_PROVIDER: 'bbb', BBB_URL: 'https://bbb.example.org/bigbluebutton/', BBB_SECRET: 'x'.repeat(32), BBB_CHECKSUM_ALGORITHM: 'sha1' }).video;
    expect(video).toEqual({ provider: 'bbb', jitsiBaseUrl: 'https://meet.jit.si', bbb: { url: 'https://bbb.example.org/bigbluebutton/', secret: 'x'.repeat(32), checksumAlgorithm: 'sha1' } });
    expect(createVideoProviders(video, KEY).get('bbb').kind).toBe('bbb');
  });

  it('refuses, in French, what would not work', () => {
    expect(() => load({ VIDEO_PROVIDER: 'zoom' })).toThrow(/VIDEO_PROVIDER="zoom" : attendu l'une des valeurs jitsi, bbb/);
    expect(() => load({ VIDEO_PROVIDER: 'bbb' })).toThrow(/BBB_URL et BBB_SECRET sont obligatoires/);
    expect(() => load({ BBB_URL: 'https://bbb.example.org/bigbluebutton/' })).toThrow(/vont ensemble/);
    expect(() => load({ JITSI_BASE_URL: 'http://visio.example.org' })).toThrow(/JITSI_BASE_URL : l'adresse doit commencer par https/);
    expect(() => load({ BBB_URL: 'pas une url', BBB_SECRET: 'x'.repeat(32) })).toThrow(/BBB_URL : ce n'est pas une URL valide/);
    expect(() => load({ BBB_URL: 'https://bbb.example.org/', BBB_SECRET: 'court' })).toThrow(/BBB_SECRET : trop court/);
  });

  it('says so when a lesson needs BigBlueButton and it is not configured any more (UNAVAILABLE)', () => {
    expect(() => createVideoProviders(load({}).video, KEY).get('bbb')).toThrow(/plus configuré/);
  });
});
