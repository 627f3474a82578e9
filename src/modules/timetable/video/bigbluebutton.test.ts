/**
 * The BigBlueButton provider against a tiny fake server on 127.0.0.1 that checks checksums the
 * way bbb-web does and replays responses recorded from the API documentation.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.ts';
import { BigBlueButtonProvider, bbbChecksum, xmlTag } from './bigbluebutton.ts';

const SECRET = '8cd8ef52e8e101574e400365b55e11a6';
const LESSON = '11111111-2222-4333-8444-555555555555';
const MEETING = `preau-${LESSON}-2026-09-07`;

/** Recorded: a successful create (duplicateWarning: the meeting was already running). */
const CREATE_SUCCESS = `<response>
  <returncode>SUCCESS</returncode>
  <meetingID>${MEETING}</meetingID>
  <internalMeetingID>640ab2bae07bedc4c163f679a746f7ab7fb5d1fa-1531155809613</internalMeetingID>
  <parentMeetingID>bbb-none</parentMeetingID>
  <createTime>1531155809613</createTime>
  <voiceBridge>70757</voiceBridge>
  <dialNumber>613-555-1234</dialNumber>
  <createDate>Mon Jul 09 17:03:29 UTC 2018</createDate>
  <hasUserJoined>false</hasUserJoined>
  <duration>0</duration>
  <hasBeenForciblyEnded>false</hasBeenForciblyEnded>
  <messageKey>duplicateWarning</messageKey>
  <message>This conference was already in existence and may currently be in progress.</message>
</response>`;
/** Recorded: what bbb-web answers when the checksum does not match. */
const CHECKSUM_ERROR = `<response>
<returncode>FAILED</returncode>
<messageKey>checksumError</messageKey>
<message>Checksums do not match</message>
</response>`;

let server: Server;
let base: string;
const received: string[] = [];
let answerWith500 = false;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = req.url ?? '';
    received.push(url);
    if (answerWith500) {
      res.writeHead(500).end('oops');
      return;
    }
    const m = /^\/bigbluebutton\/api\/(\w+)\?(.*)&checksum=([0-9a-f]+)$/.exec(url);
    const algorithm = m?.[3]?.length === 40 ? 'sha1' : 'sha256';
    const ok = m && createHash(algorithm).update(m[1]! + m[2]! + SECRET).digest('hex') === m[3];
    res.writeHead(200, { 'content-type': 'text/xml;charset=utf-8' }).end(ok && m[1] === 'create' ? CREATE_SUCCESS : CHECKSUM_ERROR);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bigbluebutton/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const provider = (options: Partial<ConstructorParameters<typeof BigBlueButtonProvider>[0]> = {}) =>
  new BigBlueButtonProvider({ url: base, secret: SECRET, checksumAlgorithm: 'sha256', ...options });
const request = { lessonId: LESSON, date: '2026-09-07', title: 'Mathématiques — 6e A' };

describe('BigBlueButton checksums', () => {
  it('matches the example of the API documentation (SHA-1 of call name + query string + secret)', () => {
    const query = 'name=Test+Meeting&meetingID=abc123&attendeePW=111222&moderatorPW=333444';
    expect(bbbChecksum('create', query, '639259d4-9dd8-4b25-bf01-95f9567eaf4b', 'sha1')).toBe('1fcbb0c4fc1f039f73aa6d697d2db9ba7f803f17');
  });

  it('reads the tags of an XML answer, entities decoded', () => {
    expect(xmlTag(CREATE_SUCCESS, 'createTime')).toBe('1531155809613');
    expect(xmlTag('<response><message>a &amp; b &lt;c&gt;</message></response>', 'message')).toBe('a & b <c>');
    expect(xmlTag(CREATE_SUCCESS, 'absent')).toBeNull();
  });
});

describe('BigBlueButton rooms', () => {
  it('creates the meeting with a signed create call and gives exact signed join URLs per role', async () => {
    received.length = 0;
    const room = await provider().createRoom(request);
    const createQuery = `name=Math%C3%A9matiques+%E2%80%94+6e+A&meetingID=${MEETING}&record=false`;
    const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
    expect(received).toEqual([`/bigbluebutton/api/create?${createQuery}&checksum=${sha256(`create${createQuery}${SECRET}`)}`]);
    expect(room.roomId).toBe(MEETING);

    const pupilQuery = `fullName=L%C3%A9a+Martin&meetingID=${MEETING}&role=VIEWER&userID=u-lea&createTime=1531155809613&redirect=true`;
    expect(room.joinUrlFor({ id: 'u-lea', fullName: 'Léa Martin' }, 'attendee')).toBe(
      `${base}api/join?${pupilQuery}&checksum=${sha256(`join${pupilQuery}${SECRET}`)}`,
    );
    const teacherQuery = `fullName=Karim+Benali&meetingID=${MEETING}&role=MODERATOR&userID=u-karim&createTime=1531155809613&redirect=true`;
    expect(room.joinUrlFor({ id: 'u-karim', fullName: 'Karim Benali' }, 'moderator')).toBe(
      `${base}api/join?${teacherQuery}&checksum=${sha256(`join${teacherQuery}${SECRET}`)}`,
    );
  });

  it('signs with SHA-1 when configured so (older servers), and accepts the URL with /api at the end', async () => {
    received.length = 0;
    const room = await provider({ checksumAlgorithm: 'sha1', url: `${base}api` }).createRoom(request);
    expect(received[0]).toMatch(/^\/bigbluebutton\/api\/create\?.*&checksum=[0-9a-f]{40}$/);
    const join = new URL(room.joinUrlFor({ id: 'u', fullName: 'Léa Martin' }, 'attendee'));
    expect(join.pathname).toBe('/bigbluebutton/api/join');
    const query = join.search.slice(1).replace(/&checksum=.*$/, '');
    expect(join.searchParams.get('checksum')).toBe(createHash('sha1').update(`join${query}${SECRET}`).digest('hex'));
  });

  it('reports a refused checksum (wrong secret) as UNAVAILABLE naming the settings to check', async () => {
    const error = await provider({ secret: 'not-the-shared-secret' }).createRoom(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'UNAVAILABLE', details: { messageKey: 'checksumError' } });
    expect((error as AppError).message).toMatch(/BBB_SECRET/);
  });

  it('reports a server error or a server that does not answer as UNAVAILABLE, retry later', async () => {
    answerWith500 = true;
    await expect(provider().createRoom(request)).rejects.toMatchObject({ code: 'UNAVAILABLE', retryAfterSeconds: 30 });
    answerWith500 = false;
    const down = new BigBlueButtonProvider({ url: 'http://127.0.0.1:9/bigbluebutton/', secret: SECRET, checksumAlgorithm: 'sha256', timeoutMs: 2000 });
    await expect(down.createRoom(request)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/ne répond pas/) });
  });
});
