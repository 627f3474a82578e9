import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/app.ts';
import { FIXTURE_PASSWORD, addPupils, createSchoolFixture, type SchoolFixture } from '../../test/fixtures.ts';
import { hashPassword } from '../identity/index.ts';
import { browsers as signedInBrowsers } from '../../test/app.ts';
import { FIXTURE_PASSWORD as PASSWORD } from '../../test/fixtures.ts';
const browsers = (app: Parameters<typeof signedInBrowsers>[0]) => signedInBrowsers(app, PASSWORD);

let t: TestApp;
let s: SchoolFixture;

beforeAll(async () => {
  t = await buildTestApp();
  s = await createSchoolFixture(t.deps.database.db, { passwordHash: await hashPassword(FIXTURE_PASSWORD) });
});
afterAll(() => t.close());

const as = browsers(() => t.app);

const write = async (login: string, body: Record<string, unknown>) => (await as(login)).post('/api/messages/threads', body);
const send = async (login: string, subject: string, recipients: Record<string, unknown>, text = 'Bonjour, voici un message.') => {
  const res = await write(login, { subject, body: text, recipients });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ threadId: string; messageId: string; recipientCount: number }>();
};
const inbox = async (login: string, query = '') => (await (await as(login)).get(`/api/messages/threads${query}`)).json();
const unread = async (login: string) => (await (await as(login)).get('/api/messages/unread-count')).json<{ count: number }>().count;
const reply = async (login: string, threadId: string, inReplyTo: string, replyAll = false, body = 'Merci pour votre message.') =>
  (await as(login)).post(`/api/messages/threads/${threadId}/replies`, { inReplyTo, replyAll, body });
const patch = async (login: string, threadId: string, payload: unknown) =>
  (await as(login)).request({ method: 'PATCH', url: `/api/messages/threads/${threadId}`, payload: payload as string });
const countRows = async (table: 'messages' | 'message_copies' | 'message_threads') =>
  Number((await t.deps.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('a teacher writes to the parents of a class', () => {
  let sent: { threadId: string; messageId: string; recipientCount: number };

  it('writes one message and one copy per parent, keeping the group label', async () => {
    await addPupils(t.deps.database.db, s.schoolA, s.class6A, 30);
    const before = { messages: await countRows('messages'), copies: await countRows('message_copies') };
    sent = await send('karim.benali', 'Contrôle de mathématiques jeudi', { groups: [{ kind: 'class_parents', classId: s.class6A }] });
    expect(sent.recipientCount).toBe(31); // Sophie Martin and the 30 new parents
    expect(await countRows('messages')).toBe(before.messages + 1);
    expect(await countRows('message_copies')).toBe(before.copies + 32); // + the sender's own copy
    const view = (await (await as('karim.benali')).get(`/api/messages/threads/${sent.threadId}`)).json();
    expect(view.messages[0].audience.groups).toEqual([
      { kind: 'class_parents', classId: s.class6A, className: '6e A', classKind: 'class', label: 'Parents de 6e A' },
    ]);
  });

  it('a parent of the class sees it unread, reads it, and it is read', async () => {
    expect(await unread('sophie.martin')).toBe(1);
    const page = await inbox('sophie.martin');
    expect(page.threads[0]).toMatchObject({ id: sent.threadId, subject: 'Contrôle de mathématiques jeudi', unreadCount: 1 });
    expect(page.threads[0].lastMessage.sender.lastName).toBe('Benali');
    expect(page.threads[0].participants.groups[0].label).toBe('Parents de 6e A');
    const res = await (await as('sophie.martin')).get(`/api/messages/threads/${sent.threadId}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.json().messages[0]).toMatchObject({ wasUnread: true, isMine: false, body: 'Bonjour, voici un message.' });
    expect(await unread('sophie.martin')).toBe(0);
  });

  it('her reply goes to the teacher only (parents may not write to other parents), who sees it', async () => {
    const res = await reply('sophie.martin', sent.threadId, sent.messageId, true, 'Léa sera absente jeudi matin, peut-elle rattraper ?');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ recipientCount: 1, audience: { groups: [], people: [{ id: s.users.teacher6A }] } });
    expect(await unread('karim.benali')).toBe(1);
    const view = (await (await as('karim.benali')).get(`/api/messages/threads/${sent.threadId}`)).json();
    expect(view.messages.map((m: { sender: { lastName: string } }) => m.sender.lastName)).toEqual(['Benali', 'Martin']);
    // The other parents never see Sophie's reply.
    const other = await t.deps.database.db.selectFrom('message_copies').select('user_id').where('message_id', '=', res.json().messageId).execute();
    expect(other.map((r) => r.user_id).sort()).toEqual([s.users.parentLea, s.users.teacher6A].sort());
  });

  it("the teacher's answer to her reply goes to her alone; his reply-all to his own message goes to every parent again", async () => {
    const view = (await (await as('karim.benali')).get(`/api/messages/threads/${sent.threadId}`)).json();
    const hers = view.messages[1].id as string;
    const toHer = await reply('karim.benali', sent.threadId, hers);
    expect(toHer.json().recipientCount).toBe(1);
    const toAll = await reply('karim.benali', sent.threadId, sent.messageId, true, 'Précision : le contrôle porte sur les fractions.');
    expect(toAll.json().recipientCount).toBe(31);
    expect(toAll.json().audience.groups[0].label).toBe('Parents de 6e A');
  });
});

describe('who may write to whom', () => {
  it("a pupil's picker offers her teachers and the staff, never a parent or another pupil", async () => {
    const res = await (await as('lea.martin')).get('/api/messages/recipients');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.people.map((p: { lastName: string }) => p.lastName)).toEqual(['Benali', 'Bernard', 'Dubois', 'Moreau', 'Roux']);
    expect(body.groups.map((g: { label: string }) => g.label)).toEqual(['Direction et vie scolaire', 'Enseignants de 6e A']);
    const search = (await (await as('lea.martin')).get('/api/messages/recipients?q=benali')).json();
    expect(search.people.map((p: { id: string }) => p.id)).toEqual([s.users.teacher6A]);
    expect(search.people[0]).toMatchObject({ roles: ['teacher'], subjects: ['Mathématiques'] });
  });

  it('refuses a forged call from a pupil to a parent and a pupil (403 naming them), writing nothing', async () => {
    const before = await countRows('messages');
    const res = await write('lea.martin', { subject: 'Salut', body: 'Coucou', recipients: { people: [s.users.parentLea, s.users.hugo] } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toMatch(/ne pouvez pas écrire à : Sophie Martin, Hugo Bernard/);
    const group = await write('lea.martin', { subject: 'Salut', body: 'Coucou', recipients: { groups: [{ kind: 'class_parents', classId: s.class6A }] } });
    expect(group.statusCode).toBe(403);
    expect(group.json().error.message).toContain('« Parents de 6e A »');
    expect(await countRows('messages')).toBe(before);
  });

  it("a parent writes to her child's teachers and the staff, not to another class's teachers", async () => {
    await send('sophie.martin', 'Absence de Léa', { groups: [{ kind: 'class_teachers', classId: s.class6A }, { kind: 'school_staff' }] });
    const res = await write('sophie.martin', { subject: 'Question', body: 'Bonjour', recipients: { groups: [{ kind: 'class_teachers', classId: s.class5B }] } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toContain('« Enseignants de 5e B »');
  });

  it('does not know people or classes of another school (404)', async () => {
    const person = await write('karim.benali', { subject: 'Bonjour', body: 'Bonjour', recipients: { people: [s.users.teacherB] } });
    expect(person.statusCode).toBe(404);
    const klass = await write('karim.benali', { subject: 'Bonjour', body: 'Bonjour', recipients: { groups: [{ kind: 'class_pupils', classId: s.classB1 }] } });
    expect(klass.statusCode).toBe(404);
    const school = await write('karim.benali', { schoolId: s.schoolB, subject: 'Bonjour', body: 'Bonjour', recipients: { people: [s.users.teacherB] } });
    expect(school.statusCode).toBe(403);
  });

  it("follows the school's own rules once its admin changes them: pupils may then write to classmates", async () => {
    const admin = await as('nathalie.roux');
    const res = await admin.request({
      method: 'PUT',
      url: `/api/schools/${s.schoolA}/messaging-rules`,
      payload: { rules: [{ from: 'pupil', to: 'pupil', reach: 'linked' }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().rules).toContainEqual({ from: 'pupil', to: 'pupil', reach: 'linked', isDefault: false });
    const picker = (await (await as('lea.martin')).get('/api/messages/recipients?q=eleve')).json();
    expect(picker.people.length).toBeGreaterThan(0);
    expect(picker.groups.map((g: { label: string }) => g.label)).toContain('Élèves de 6e A');
    const classmate = picker.people[0].id as string;
    await send('lea.martin', 'Exposé', { people: [classmate] });
    expect((await write('lea.martin', { subject: 'Salut', body: 'Coucou', recipients: { people: [s.users.hugo] } })).statusCode).toBe(403);

    const back = await admin.request({
      method: 'PUT',
      url: `/api/schools/${s.schoolA}/messaging-rules`,
      payload: { rules: [{ from: 'pupil', to: 'pupil', reach: 'none' }] },
    });
    expect(back.json().rules).toContainEqual({ from: 'pupil', to: 'pupil', reach: 'none', isDefault: true });
    expect((await write('lea.martin', { subject: 'Salut', body: 'Coucou', recipients: { people: [classmate] } })).statusCode).toBe(403);
  });

  it('lets only the school admin read and change the rules; « linked » with staff is refused (400)', async () => {
    const url = `/api/schools/${s.schoolA}/messaging-rules`;
    expect((await (await as('nathalie.roux')).get(url)).json().rules).toHaveLength(16);
    for (const login of ['claire.dubois', 'karim.benali', 'lea.martin', 'paul.durand']) {
      expect((await (await as(login)).get(url)).statusCode, login).toBe(403);
    }
    const bad = await (await as('nathalie.roux')).request({
      method: 'PUT',
      url,
      payload: { rules: [{ from: 'parent', to: 'staff', reach: 'linked' }] },
    });
    expect(bad.statusCode).toBe(400);
    const unknown = await (await as('nathalie.roux')).request({ method: 'PUT', url, payload: { rules: [{ from: 'parent', to: 'martian', reach: 'none' }] } });
    expect(unknown.statusCode).toBe(400);
  });
});

describe('reading and keeping', () => {
  let thread: { threadId: string; messageId: string };

  beforeAll(async () => {
    thread = await send('karim.benali', 'Rendez-vous parents-professeur', { people: [s.users.parentLea] }, 'Pouvons-nous nous voir mardi ?');
  });

  it("no parent reads another family's conversation, no pupil one she is not in (404)", async () => {
    for (const login of ['anne.bernard', 'lea.martin', 'hugo.bernard', 'claire.dubois', 'marc.leroy']) {
      const c = await as(login);
      expect((await c.get(`/api/messages/threads/${thread.threadId}`)).statusCode, login).toBe(404);
      expect((await reply(login, thread.threadId, thread.messageId)).statusCode, login).toBe(404);
      expect((await patch(login, thread.threadId, { read: true })).statusCode, login).toBe(404);
      expect((await c.request({ method: 'DELETE', url: `/api/messages/threads/${thread.threadId}` })).statusCode, login).toBe(404);
      const found = (await inbox(login)).threads.map((x: { id: string }) => x.id);
      expect(found, login).not.toContain(thread.threadId);
    }
  });

  it('marks unread, archives and brings back, for oneself only', async () => {
    await (await as('sophie.martin')).get(`/api/messages/threads/${thread.threadId}`);
    expect((await patch('sophie.martin', thread.threadId, { read: false })).statusCode).toBe(204);
    expect((await inbox('sophie.martin')).threads.find((x: { id: string }) => x.id === thread.threadId).unreadCount).toBe(1);
    expect((await patch('sophie.martin', thread.threadId, { archived: true, read: true })).statusCode).toBe(204);
    expect((await inbox('sophie.martin')).threads.map((x: { id: string }) => x.id)).not.toContain(thread.threadId);
    expect((await inbox('sophie.martin', '?folder=archive')).threads.map((x: { id: string }) => x.id)).toContain(thread.threadId);
    expect((await inbox('karim.benali')).threads.map((x: { id: string }) => x.id)).toContain(thread.threadId);
    await patch('sophie.martin', thread.threadId, { archived: false });
    expect((await inbox('sophie.martin')).threads.map((x: { id: string }) => x.id)).toContain(thread.threadId);
  });

  it('deletes for oneself: the other keeps it, and a new reply brings it back with that reply only', async () => {
    const sophie = await as('sophie.martin');
    expect((await sophie.request({ method: 'DELETE', url: `/api/messages/threads/${thread.threadId}` })).statusCode).toBe(204);
    expect((await sophie.get(`/api/messages/threads/${thread.threadId}`)).statusCode).toBe(404);
    expect((await (await as('karim.benali')).get(`/api/messages/threads/${thread.threadId}`)).statusCode).toBe(200);
    expect((await reply('karim.benali', thread.threadId, thread.messageId, false, 'Je relance ma question.')).statusCode).toBe(201);
    const view = (await sophie.get(`/api/messages/threads/${thread.threadId}`)).json();
    expect(view.messages.map((m: { body: string }) => m.body)).toEqual(['Je relance ma question.']);
  });

  it("the sender's copy can be deleted too, leaving the recipient's", async () => {
    const c = await send('karim.benali', 'Sortie au musée', { people: [s.users.parentLea] });
    const karim = await as('karim.benali');
    expect((await karim.request({ method: 'DELETE', url: `/api/messages/threads/${c.threadId}` })).statusCode).toBe(204);
    expect((await inbox('karim.benali')).threads.map((x: { id: string }) => x.id)).not.toContain(c.threadId);
    expect((await (await as('sophie.martin')).get(`/api/messages/threads/${c.threadId}`)).statusCode).toBe(200);
  });

  it('pages through the inbox with a total', async () => {
    const first = await inbox('sophie.martin', '?limit=2');
    expect(first.threads).toHaveLength(2);
    expect(first.total).toBeGreaterThan(2);
    const second = await inbox('sophie.martin', '?limit=2&offset=2');
    expect(second.threads[0].id).not.toBe(first.threads[1].id);
    expect(second.total).toBe(first.total);
  });
});

describe('bad input', () => {
  const people = () => ({ people: [s.users.parentLea] });

  it('refuses an empty subject or text, a text too long, no recipient (400), writing nothing', async () => {
    const before = await countRows('message_threads');
    const cases = [
      { subject: '   ', body: 'Bonjour', recipients: people() },
      { subject: 'Bonjour', body: ' \n ', recipients: people() },
      { subject: '', body: 'Bonjour', recipients: people() },
      { subject: 'x'.repeat(201), body: 'Bonjour', recipients: people() },
      { subject: 'Bonjour', body: 'x'.repeat(20_001), recipients: people() },
      { subject: 'Bonjour', body: 'Bonjour', recipients: {} },
      { subject: 'Bonjour', body: 'Bonjour', recipients: { groups: [{ kind: 'class_pupils' }] } },
      { subject: 'Bonjour', body: 'Bonjour', recipients: { people: ['pas-un-uuid'] } },
      { subject: 'Bonjour', body: 'Bonjour', recipients: { groups: [{ kind: 'everyone' }] } },
    ];
    for (const body of cases) {
      const res = await write('karim.benali', body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.json().error.message).toMatch(/\S/);
    }
    expect((await write('karim.benali', { subject: 'Bonjour', body: ' ', recipients: people() })).json().error.message).toContain('Le message est vide');
    expect(await countRows('message_threads')).toBe(before);
  });

  it('answers 404 for an unknown thread or message, 400 for a malformed id, 401 without a session', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    const karim = await as('karim.benali');
    expect((await karim.get(`/api/messages/threads/${unknown}`)).statusCode).toBe(404);
    expect((await reply('karim.benali', unknown, unknown)).statusCode).toBe(404);
    expect((await karim.get('/api/messages/threads/pas-un-uuid')).statusCode).toBe(400);
    expect((await patch('karim.benali', unknown, {})).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/api/messages/threads' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/messages/unread-count' })).statusCode).toBe(401);
  });

  it('refuses the platform operator, who belongs to no school (403)', async () => {
    expect((await write('operateur', { subject: 'Bonjour', body: 'Bonjour', recipients: people() })).statusCode).toBe(403);
    expect((await (await as('operateur')).get('/api/messages/recipients')).statusCode).toBe(403);
  });
});
