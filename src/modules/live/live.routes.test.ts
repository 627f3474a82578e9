/**
 * Live updates over real HTTP, on two nodes sharing one database and one Redis: an event written
 * through node A reaches a stream open on node B; sign-in is required; the cap answers 503; a
 * reconnect with Last-Event-ID gets a fresh hello; closing a node ends its streams.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type BuiltApp } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { createRedisState } from '../../platform/shared-state/redis.ts';
import { deleteKeysWithPrefix, TEST_REDIS_URL } from '../../platform/shared-state/redis.test-support.ts';
import type { SharedState } from '../../platform/shared-state/shared-state.ts';
import { manualClock } from '../../shared/time.ts';
import { Client } from '../../test/app.ts';
import { openTestDatabase } from '../../test/database.ts';
import { createSchoolFixture, FIXTURE_PASSWORD, type SchoolFixture } from '../../test/fixtures.ts';
import { hashPassword } from '../identity/index.ts';
import type { LessonStartingWatch } from '../timetable/index.ts';
import { lessonBody } from '../timetable/timetable.test-support.ts';
import type { LiveHub } from './live.hub.ts';
import { openSse, type SseStream } from './live.test-support.ts';

/** Monday 7 September 2026, 08:52 in Paris: Maths 6e A starts at 09:00. */
const MONDAY_0852 = Date.parse('2026-09-07T06:52:00Z');
const SECRET = 'live-updates-test-secret-'.padEnd(48, 'x');
const keyPrefix = `test:live:${randomUUID()}:`;

interface Node {
  built: BuiltApp;
  port: number;
  state: SharedState;
  live: { hub: LiveHub; lessons: LessonStartingWatch };
}

const clock = manualClock(MONDAY_0852);
let database: Awaited<ReturnType<typeof openTestDatabase>>;
let s: SchoolFixture;
const nodes: Node[] = [];

async function startNode(env: Record<string, string> = {}): Promise<Node> {
  const state = await createRedisState({ url: TEST_REDIS_URL, keyPrefix });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'preau-live-'));
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent', PREAU_SECRET: SECRET, ...env });
  let live: Node['live'] | undefined;
  const built = await buildApp({
    config,
    database,
    state,
    clock,
    logger: false,
    webDistDir: path.join(dataDir, 'no-web'),
    frontDoor: { timers: false, shedding: false },
    live: { timers: false, expose: (handle) => (live = handle) },
  });
  await built.app.listen({ port: 0, host: '127.0.0.1' });
  const node = { built, port: (built.app.server.address() as AddressInfo).port, state, live: live! };
  nodes.push(node);
  return node;
}

async function stopNode(node: Node): Promise<void> {
  await node.built.app.close();
  await node.state.close();
  nodes.splice(nodes.indexOf(node), 1);
}

/** A signed-in browser (through node A: the cookies are signed with the cluster's secret). */
const signedIn = new Map<string, Client>();
async function as(login: string): Promise<Client> {
  let c = signedIn.get(login);
  if (!c) {
    c = new Client(nodes[0]!.built.app);
    await c.signIn(login, FIXTURE_PASSWORD);
    signedIn.set(login, c);
  }
  return c;
}

function cookieOf(c: Client): string {
  return ['preau_sid', 'preau_pass']
    .map((name) => [name, c.cookie(name)] as const)
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
}

async function live(node: Node, login: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const stream = await openSse(node.port, '/api/live', { cookie: cookieOf(await as(login)), ...headers });
  if (stream.status === 200) await expect.poll(() => stream.types()).toContain('hello');
  return stream;
}

let a: Node;
let b: Node;
const open: SseStream[] = [];

beforeAll(async () => {
  database = await openTestDatabase();
  s = await createSchoolFixture(database.db, { passwordHash: await hashPassword(FIXTURE_PASSWORD) });
  a = await startNode();
  b = await startNode();
});

afterAll(async () => {
  for (const stream of open) stream.close();
  for (const node of [...nodes]) await stopNode(node);
  await database.close();
  const raw = new Redis(TEST_REDIS_URL);
  await deleteKeysWithPrefix(raw, keyPrefix);
  await raw.quit();
});

describe('GET /api/live', () => {
  it('refuses a request without a session: 401 in French, no stream', async () => {
    const stream = await openSse(b.port, '/api/live', {});
    await expect.poll(() => stream.ended).toBe(true);
    expect(stream.status).toBe(401);
    expect(JSON.parse(stream.body)).toMatchObject({ error: { code: 'UNAUTHENTICATED', message: expect.stringMatching(/connecter/) } });
  });

  it('refuses a Last-Event-ID that is not one of ours (400)', async () => {
    const stream = await live(b, 'lea.martin', { 'last-event-id': '../../etc/passwd' });
    await expect.poll(() => stream.ended).toBe(true);
    expect(stream.status).toBe(400);
    expect(JSON.parse(stream.body)).toMatchObject({ error: { code: 'VALIDATION', message: expect.stringMatching(/Last-Event-ID/) } });
  });

  it('says hello with the unread count, then brings what node A writes to the pupil and her parent on node B', async () => {
    const lea = await live(b, 'lea.martin');
    const parent = await live(b, 'sophie.martin');
    const otherClass = await live(b, 'hugo.bernard');
    open.push(lea, parent, otherClass);
    expect(lea.status).toBe(200);
    expect(lea.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(lea.frames[0]).toMatchObject({ event: 'hello', data: { unread: 0, resumed: false } });
    expect(lea.frames[0]!.retry).toBeGreaterThanOrEqual(1000);
    // Open streams are not requests in flight for the front door's adaptive limit.
    expect(b.built.frontDoor.getStatus().limiter.inflight).toBe(0);
    // A short header block: no page security headers kept for hours per stream.
    expect(lea.headers['content-security-policy']).toBeUndefined();
    // One heartbeat for every stream: a comment line each.
    b.live.hub.beat();
    await expect.poll(() => lea.comments).toBe(1);
    await expect.poll(() => parent.comments).toBe(1);

    const teacher = await as('karim.benali');
    const sent = await teacher.post('/api/messages/threads', { subject: 'Sortie', body: 'Rendez-vous à 8 h.', recipients: { people: [s.users.lea] } });
    expect(sent.statusCode).toBe(201);
    await expect.poll(() => lea.types()).toContain('message.received');
    const message = lea.frames.find((f) => f.event === 'message.received')!;
    expect(message.data).toEqual({ threadId: sent.json<{ threadId: string }>().threadId });
    expect(message.id).toMatch(/^[0-9a-z]+-[0-9a-f]{8}$/);

    const homework = await teacher.post(`/api/classes/${s.class6A}/homework`, { subject: 'MATHS', instructions: 'Exercices 1 à 4 page 12.', dueDate: '2026-09-10' });
    expect(homework.statusCode).toBe(201);
    const homeworkId = homework.json<{ id: string }>().id;
    await expect.poll(() => lea.types()).toContain('homework.changed');
    await expect.poll(() => parent.types()).toContain('homework.changed');
    expect(lea.frames.find((f) => f.event === 'homework.changed')!.data).toEqual({ homeworkId, change: 'published' });
    // Nothing leaks to a pupil of another class, nor the parent the message was not for: a later
    // event for Hugo's class arrives first in his stream.
    await teacher.post(`/api/classes/${s.class5B}/homework`, { subject: 'MATHS', instructions: 'Relire la leçon.', dueDate: '2026-09-10' });
    await expect.poll(() => otherClass.types()).toContain('homework.changed');
    expect(otherClass.types()).toEqual(['hello', 'homework.changed']);
    expect(parent.types()).toEqual(['hello', 'homework.changed']);
  });

  it('tells the teacher of a hand-in, and the pupil and her parents of its review', async () => {
    const teacher = await as('karim.benali');
    const created = await teacher.post(`/api/classes/${s.class6A}/homework`, {
      subject: 'MATHS',
      instructions: 'Rédiger la démonstration.',
      dueDate: '2026-09-11',
      requiresSubmission: true,
    });
    const homeworkId = created.json<{ id: string }>().id;
    const teacherStream = await live(a, 'karim.benali');
    const lea = await live(b, 'lea.martin');
    const parent = await live(a, 'sophie.martin');
    open.push(teacherStream, lea, parent);
    const handIn = await (await as('lea.martin')).request({ method: 'PUT', url: `/api/homework/${homeworkId}/submission`, payload: { text: 'Voici ma démonstration.' } });
    expect(handIn.statusCode, handIn.body).toBe(200);
    const submissionId = handIn.json<{ id: string }>().id;
    await expect.poll(() => teacherStream.types()).toContain('submission.received');
    expect(teacherStream.frames.find((f) => f.event === 'submission.received')!.data).toEqual({ assignmentId: homeworkId, submissionId });
    const review = await teacher.request({ method: 'PUT', url: `/api/submissions/${submissionId}/review`, payload: { feedback: 'Très bien.', mark: 17 } });
    expect(review.statusCode, review.body).toBe(200);
    await expect.poll(() => lea.types()).toContain('submission.reviewed');
    await expect.poll(() => parent.types()).toContain('submission.reviewed');
  });

  it('ends the streams of a session signed out on another node at once; its reconnect is refused (401)', async () => {
    const device = new Client(a.built.app);
    await device.signIn('sophie.martin', FIXTURE_PASSWORD);
    const cookie = cookieOf(device);
    const stream = await openSse(b.port, '/api/live', { cookie });
    await expect.poll(() => stream.types()).toContain('hello');
    const other = await live(b, 'lea.martin');
    open.push(other);
    // Signed out through node A: node B hears the revocation and ends that device's stream only.
    expect((await device.post('/api/auth/logout', {})).statusCode).toBeLessThan(300);
    await expect.poll(() => stream.ended).toBe(true);
    expect(other.ended).toBe(false);
    // The same cookies as before (a stolen copy, say): refused.
    const again = await openSse(b.port, '/api/live', { cookie });
    await expect.poll(() => again.ended).toBe(true);
    expect(again.status).toBe(401);
  });

  it('answers a reconnect with Last-Event-ID with a fresh hello (resumed, the unread count of now)', async () => {
    const first = await live(a, 'lea.martin');
    first.close();
    const teacher = await as('karim.benali');
    await teacher.post('/api/messages/threads', { subject: 'Rappel', body: 'Apportez votre compas.', recipients: { people: [s.users.lea] } });
    const again = await live(b, 'lea.martin', { 'last-event-id': 'mfabc123-0a1b2c3d' });
    open.push(again);
    expect(again.frames[0]).toMatchObject({ event: 'hello', data: { unread: 2, resumed: true } });
  });

  it('announces a lesson starting soon once, from one node, to its class and its own teacher only', async () => {
    const principal = await as('claire.dubois');
    const created = await principal.post('/api/timetable/lessons', lessonBody(s, { start: '09:00', end: '10:00' }));
    expect(created.statusCode, created.body).toBe(201);
    const lessonId = created.json<{ id: string }>().id;
    const lea = await live(b, 'lea.martin');
    const teacher = await live(a, 'karim.benali');
    const otherTeacher = await live(b, 'anne.bernard'); // teaches 6e A too (French), not this lesson
    open.push(lea, teacher, otherTeacher);

    expect(await a.live.lessons.tick()).toBe(1);
    expect(await b.live.lessons.tick()).toBe(0); // not the leader
    expect(await a.live.lessons.tick()).toBe(0); // already said
    await expect.poll(() => lea.types()).toContain('lesson.starting');
    await expect.poll(() => teacher.types()).toContain('lesson.starting');
    expect(lea.frames.find((f) => f.event === 'lesson.starting')!.data).toEqual({
      lessonId,
      occurrenceId: `${lessonId}_2026-09-07`,
      startsAt: '2026-09-07T07:00:00.000Z',
      subject: 'Mathématiques',
      virtual: false,
    });
    // A later class event reaches the other teacher first: the reminder was not for her.
    await (await as('karim.benali')).post(`/api/classes/${s.class6A}/homework`, { subject: 'MATHS', instructions: 'Fiche 3.', dueDate: '2026-09-10' });
    await expect.poll(() => otherTeacher.types()).toContain('homework.changed');
    expect(otherTeacher.types()).not.toContain('lesson.starting');
  });
});

describe('the per-node cap and the drain', () => {
  it('answers 503 with Retry-After beyond LIVE_MAX_CONNECTIONS, and ends its streams when the node closes', async () => {
    const small = await startNode({ LIVE_MAX_CONNECTIONS: '1' });
    const first = await live(small, 'hugo.bernard');
    expect(first.status).toBe(200);
    const refused = await openSse(small.port, '/api/live', { cookie: cookieOf(await as('lea.martin')) });
    await expect.poll(() => refused.ended).toBe(true);
    expect(refused.status).toBe(503);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'UNAVAILABLE', message: expect.stringMatching(/en direct/) } });

    expect(small.live.hub.size).toBe(1);
    await stopNode(small); // would never resolve if the stream kept the server open
    await expect.poll(() => first.ended).toBe(true);
  });
});
