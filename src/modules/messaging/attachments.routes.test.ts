import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipartBody, PDF_BYTES, pngOfSize } from '../../platform/http/multipart.test-support.ts';
import { buildTestApp, type TestApp } from '../../test/app.ts';
import { FIXTURE_PASSWORD, createSchoolFixture, type SchoolFixture } from '../../test/fixtures.ts';
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

async function upload(login: string, filename: string, bytes: Buffer): Promise<string> {
  const res = await (await as(login)).request({ method: 'POST', url: '/api/files', ...multipartBody({ filename, bytes }) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

const sendWith = async (login: string, attachmentIds: string[], people = [s.users.parentLea]) =>
  (await as(login)).post('/api/messages/threads', { subject: 'Documents pour la sortie', body: 'Voici les documents.', recipients: { people }, attachmentIds });
const content = (messageId: string, fileId: string) => `/api/messages/${messageId}/attachments/${fileId}/content`;
const countMessages = async () => Number((await t.deps.database.db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('attachments', () => {
  let sent: { threadId: string; messageId: string };
  let pdf: string;
  let png: string;

  it("sends the sender's uploaded files with the message, in order, and shows them in the thread", async () => {
    pdf = await upload('karim.benali', 'Autorisation de sortie.pdf', PDF_BYTES);
    png = await upload('karim.benali', 'Plan du musée.png', pngOfSize(2048));
    const res = await sendWith('karim.benali', [pdf, png]);
    expect(res.statusCode, res.body).toBe(201);
    sent = res.json();
    const view = (await (await as('sophie.martin')).get(`/api/messages/threads/${sent.threadId}`)).json();
    expect(view.messages[0].attachments).toEqual([
      { id: pdf, name: 'Autorisation de sortie.pdf', size: PDF_BYTES.length, contentType: 'application/pdf' },
      { id: png, name: 'Plan du musée.png', size: 2048, contentType: 'image/png' },
    ]);
  });

  it('lets the recipient and the sender download them, byte for byte and by range', async () => {
    for (const login of ['sophie.martin', 'karim.benali']) {
      const res = await (await as(login)).get(content(sent.messageId, pdf));
      expect(res.statusCode, login).toBe(200);
      expect(res.rawPayload.equals(PDF_BYTES)).toBe(true);
      expect(res.headers['content-disposition']).toContain('Autorisation de sortie.pdf');
      expect(res.headers['cache-control']).toContain('private');
    }
    const part = await (await as('sophie.martin')).request({ method: 'GET', url: content(sent.messageId, png), headers: { range: 'bytes=0-7' } });
    expect(part.statusCode).toBe(206);
    expect(part.rawPayload.length).toBe(8);
  });

  it('refuses anyone else, and a file that is not attached to that message (404)', async () => {
    for (const login of ['lea.martin', 'anne.bernard', 'claire.dubois', 'marc.leroy']) {
      expect((await (await as(login)).get(content(sent.messageId, pdf))).statusCode, login).toBe(404);
    }
    const other = await upload('karim.benali', 'Autre.pdf', PDF_BYTES);
    expect((await (await as('sophie.martin')).get(content(sent.messageId, other))).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: content(sent.messageId, pdf) })).statusCode).toBe(401);
  });

  it("refuses someone else's file (404), more than 5 files (400) and more than 20 Mo in all (413), writing nothing", async () => {
    const before = await countMessages();
    const hers = await upload('sophie.martin', 'Mot des parents.pdf', PDF_BYTES);
    expect((await sendWith('karim.benali', [hers])).statusCode).toBe(404);
    expect((await sendWith('karim.benali', ['00000000-0000-4000-8000-000000000000'])).statusCode).toBe(404);
    const six = await Promise.all(Array.from({ length: 6 }, (_, i) => upload('karim.benali', `Fiche ${i}.pdf`, Buffer.concat([PDF_BYTES, Buffer.from(`%${i}`)]))));
    const tooMany = await sendWith('karim.benali', six);
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.message).toContain('5 pièces jointes au plus');
    const big = [await upload('karim.benali', 'Photos 1.png', pngOfSize(11 * 1024 * 1024)), await upload('karim.benali', 'Photos 2.png', pngOfSize(10 * 1024 * 1024))];
    const tooBig = await sendWith('karim.benali', big);
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().error.message).toContain('20 Mo au plus');
    expect(await countMessages()).toBe(before);
  });

  it('a reply carries attachments too; a recipient who deleted the conversation no longer downloads them', async () => {
    const note = await upload('sophie.martin', 'Autorisation signée.pdf', PDF_BYTES);
    const res = await (await as('sophie.martin')).post(`/api/messages/threads/${sent.threadId}/replies`, { inReplyTo: sent.messageId, body: 'Ci-joint.', attachmentIds: [note] });
    expect(res.statusCode, res.body).toBe(201);
    const replyId = res.json<{ messageId: string }>().messageId;
    expect((await (await as('karim.benali')).get(content(replyId, note))).statusCode).toBe(200);
    const sophie = await as('sophie.martin');
    expect((await sophie.request({ method: 'DELETE', url: `/api/messages/threads/${sent.threadId}` })).statusCode).toBe(204);
    expect((await sophie.get(content(sent.messageId, pdf))).statusCode).toBe(404);
    expect((await (await as('karim.benali')).get(content(sent.messageId, pdf))).statusCode).toBe(200);
  });
});
