/**
 * Homework over HTTP: status codes, validation, authorization and downloads, with files uploaded
 * through POST /api/files like the web app does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipartBody, PDF_BYTES, pngOfSize } from '../../platform/http/multipart.test-support.ts';
import { type Client, buildTestApp, type TestApp, browsers } from '../../test/app.ts';
import { FIXTURE_PASSWORD, createSchoolFixture, type SchoolFixture } from '../../test/fixtures.ts';
import { MAX_FILE_BYTES } from '../documents/index.ts';
import { hashPassword } from '../identity/index.ts';
import { addDays, schoolToday } from './homework.dates.ts';

let t: TestApp;
let s: SchoolFixture;
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  t = await buildTestApp();
  s = await createSchoolFixture(t.deps.database.db, { passwordHash: await hashPassword(FIXTURE_PASSWORD) });
});
afterAll(() => t.close());

const as = browsers(() => t.app, FIXTURE_PASSWORD);
const today = () => schoolToday(t.clock.now());
const json = (c: Client, method: 'PUT' | 'PATCH' | 'DELETE' | 'POST', url: string, payload?: unknown) =>
  c.request({ method, url, ...(payload === undefined ? {} : { payload: payload as string }) });

async function upload(c: Client, filename: string, bytes: Buffer): Promise<string> {
  const res = await c.request({ method: 'POST', url: '/api/files', ...multipartBody({ filename, bytes }) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

async function createAssignment(attachmentIds: string[] = []): Promise<{ id: string; attachments: Array<{ id: string }> }> {
  const karim = await as('karim.benali');
  const res = await karim.post(`/api/classes/${s.class6A}/homework`, {
    subject: 'MATHS',
    instructions: 'Fiche sur les fractions : exercices 1 à 4',
    dueDate: addDays(today(), 2),
    dueTime: '08:00',
    requiresSubmission: true,
    attachmentIds,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('the journey over HTTP', () => {
  it('teacher posts with a file, pupil downloads it and hands in, teacher reviews, parent sees « Corrigé »', async () => {
    const karim = await as('karim.benali');
    const sheet = await upload(karim, 'Fiche fractions.pdf', PDF_BYTES);
    const hw = await createAssignment([sheet]);
    expect(hw.attachments.map((a) => a.id)).toEqual([sheet]);

    const lea = await as('lea.martin');
    const list = await lea.get(`/api/pupils/${s.users.lea}/homework`);
    expect(list.statusCode).toBe(200);
    expect(list.headers['cache-control']).toBe('private, no-store');
    const item = list.json().items.find((i: { id: string }) => i.id === hw.id);
    expect(item).toMatchObject({ status: 'todo', submission: null, counts: null });

    const download = await lea.get(`/api/homework/${hw.id}/attachments/${sheet}/content`);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(PDF_BYTES)).toBe(true);
    expect(download.headers['content-disposition']).toMatch(/^attachment;/);
    expect(download.headers['cache-control']).toBe('private, max-age=0, must-revalidate');
    expect((await lea.get(`/api/classes/${s.class6A}/homework?subject=MATHS`)).headers['cache-control']).toBe('private, no-store');

    const work = await upload(lea, 'ma-copie.png', pngOfSize(2000));
    const handIn = await json(lea, 'PUT', `/api/homework/${hw.id}/submission`, { text: 'Mes réponses', fileIds: [work] });
    expect(handIn.statusCode, handIn.body).toBe(200);
    const submission = handIn.json();
    expect(submission).toMatchObject({ version: 1, isLate: false, files: [{ id: work, contentType: 'image/png' }] });

    const review = await karim.get(`/api/homework/${hw.id}/submissions`);
    expect(review.statusCode).toBe(200);
    expect(review.json()).toMatchObject({ canReview: true, homework: { counts: { submitted: 1, late: 0, toReview: 1 } } });
    const row = review.json().pupils.find((p: { pupil: { id: string } }) => p.pupil.id === s.users.lea);
    expect(row.status).toBe('submitted');
    const file = await karim.get(`/api/submissions/${submission.id}/files/${work}/content`);
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(pngOfSize(2000))).toBe(true);

    const marked = await json(karim, 'PUT', `/api/submissions/${submission.id}/review`, { feedback: 'Très bien', mark: 16.5 });
    expect(marked.statusCode, marked.body).toBe(200);

    const parent = await as('sophie.martin');
    const seen = (await parent.get(`/api/pupils/${s.users.lea}/homework`)).json().items.find((i: { id: string }) => i.id === hw.id);
    expect(seen).toMatchObject({ status: 'reviewed', submission: { mark: 16.5, feedback: 'Très bien' } });
    expect((await parent.get(`/api/submissions/${submission.id}/files/${work}/content`)).statusCode).toBe(200);
  });
});

describe('bad input', () => {
  it('refuses a due date in the past and empty instructions (400) with French messages', async () => {
    const karim = await as('karim.benali');
    const past = await karim.post(`/api/classes/${s.class6A}/homework`, { subject: 'MATHS', instructions: 'Ex. 1', dueDate: addDays(today(), -1) });
    expect(past.statusCode).toBe(400);
    expect(past.json().error.message).toMatch(/déjà passée/);
    const empty = await karim.post(`/api/classes/${s.class6A}/homework`, { subject: 'MATHS', instructions: '', dueDate: addDays(today(), 1) });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toBe('Écrivez la consigne du travail à faire.');
    const badDate = await karim.post(`/api/classes/${s.class6A}/homework`, { subject: 'MATHS', instructions: 'x', dueDate: '2026-02-31' });
    expect(badDate.statusCode).toBe(400);
    const badTime = await karim.post(`/api/classes/${s.class6A}/homework`, { subject: 'MATHS', instructions: 'x', dueDate: addDays(today(), 1), dueTime: '25:00' });
    expect(badTime.statusCode).toBe(400);
    const extra = await karim.post(`/api/classes/${s.class6A}/homework`, { subject: 'MATHS', instructions: 'x', dueDate: addDays(today(), 1), teacherId: s.users.teacherParentHugo });
    expect(extra.statusCode).toBe(400);
  });

  it('accepts a lesson entry dated in the past (201)', async () => {
    const karim = await as('karim.benali');
    const res = await karim.post(`/api/classes/${s.class6A}/homework/lessons`, { subject: 'MATHS', date: addDays(today(), -3), content: 'Les fractions.' });
    expect(res.statusCode, res.body).toBe(201);
    const lessonId = res.json().id as string;
    expect((await json(await as('anne.bernard'), 'PATCH', `/api/homework/lessons/${lessonId}`, { content: 'Autre' })).statusCode).toBe(403);
    expect((await json(karim, 'PATCH', `/api/homework/lessons/${lessonId}`, { content: 'Les fractions (suite).' })).json().content).toBe('Les fractions (suite).');
    expect((await json(await as('anne.bernard'), 'DELETE', `/api/homework/lessons/${lessonId}`)).statusCode).toBe(403);
    expect((await json(karim, 'DELETE', `/api/homework/lessons/${lessonId}`)).statusCode).toBe(204);
    expect((await json(karim, 'DELETE', `/api/homework/lessons/${lessonId}`)).statusCode).toBe(404);
  });

  it('refuses a hand-in on a closed assignment (409) with a clear message', async () => {
    const hw = await createAssignment();
    const karim = await as('karim.benali');
    expect((await karim.post(`/api/homework/${hw.id}/close`)).json().closedAt).not.toBeNull();
    const res = await json(await as('lea.martin'), 'PUT', `/api/homework/${hw.id}/submission`, { text: 'Trop tard ?' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toMatch(/clos ce devoir/);
    expect((await karim.post(`/api/homework/${hw.id}/reopen`)).json().closedAt).toBeNull();
  });

  it('refuses another pupil’s submission, its files and the review page (403)', async () => {
    const hw = await createAssignment();
    const lea = await as('lea.martin');
    const work = await upload(lea, 'copie.pdf', PDF_BYTES);
    const sub = (await json(lea, 'PUT', `/api/homework/${hw.id}/submission`, { fileIds: [work] })).json();
    const hugo = await as('hugo.bernard');
    expect((await hugo.get(`/api/submissions/${sub.id}`)).statusCode).toBe(403);
    expect((await hugo.get(`/api/submissions/${sub.id}/files/${work}/content`)).statusCode).toBe(403);
    expect((await hugo.get(`/api/homework/${hw.id}/submissions`)).statusCode).toBe(403);
    expect((await hugo.get(`/api/pupils/${s.users.lea}/homework`)).statusCode).toBe(403);
    expect((await hugo.get(`/api/homework/${hw.id}/attachments/${work}/content`)).statusCode).toBe(403);
    expect((await json(await as('anne.bernard'), 'PUT', `/api/submissions/${sub.id}/review`, { feedback: 'x', mark: 10 })).statusCode).toBe(403);
  });

  it('refuses attaching someone else’s file (404) and writes nothing', async () => {
    const leaFile = await upload(await as('lea.martin'), 'a-moi.pdf', PDF_BYTES);
    const karim = await as('karim.benali');
    const res = await karim.post(`/api/classes/${s.class6A}/homework`, { subject: 'MATHS', instructions: 'x', dueDate: addDays(today(), 1), attachmentIds: [leaFile] });
    expect(res.statusCode).toBe(404);
    const hw = await createAssignment();
    const theft = await json(await as('lea.martin'), 'PUT', `/api/homework/${hw.id}/submission`, {
      fileIds: [await upload(karim, 'corrige.pdf', PDF_BYTES)],
    });
    expect(theft.statusCode).toBe(404);
    expect((await (await as('karim.benali')).get(`/api/homework/${hw.id}/submissions`)).json().homework.counts.submitted).toBe(0);
  });

  it('answers 404 for unknown ids and 400 for malformed ones', async () => {
    const lea = await as('lea.martin');
    expect((await json(lea, 'PUT', `/api/homework/${UNKNOWN}/submission`, { text: 'x' })).statusCode).toBe(404);
    expect((await (await as('karim.benali')).get(`/api/homework/${UNKNOWN}/submissions`)).statusCode).toBe(404);
    expect((await lea.get(`/api/submissions/${UNKNOWN}`)).statusCode).toBe(404);
    expect((await lea.get(`/api/homework/${UNKNOWN}/attachments/${UNKNOWN}/content`)).statusCode).toBe(404);
    expect((await lea.get(`/api/classes/${UNKNOWN}/homework?subject=MATHS`)).statusCode).toBe(404);
    const hw = await createAssignment();
    expect((await lea.get(`/api/homework/${hw.id}/attachments/${UNKNOWN}/content`)).statusCode).toBe(404);
    expect((await lea.get('/api/submissions/pas-un-uuid')).statusCode).toBe(400);
    expect((await lea.get(`/api/classes/${s.class6A}/homework`)).statusCode).toBe(400);
  });

  it('refuses an oversized hand-in file (413) and an unknown type (415) at upload', async () => {
    const lea = await as('lea.martin');
    const big = await lea.request({ method: 'POST', url: '/api/files', ...multipartBody({ filename: 'enorme.png', bytes: pngOfSize(MAX_FILE_BYTES + 1) }) });
    expect(big.statusCode).toBe(413);
    const exe = await lea.request({ method: 'POST', url: '/api/files', ...multipartBody({ filename: 'jeu.exe', bytes: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300, 1)]) }) });
    expect(exe.statusCode).toBe(415);
  });

  it('needs a session (401)', async () => {
    expect((await t.app.inject({ method: 'GET', url: `/api/pupils/${s.users.lea}/homework` })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/homework/teaching' })).statusCode).toBe(401);
  });
});

describe('pickers', () => {
  it('a teacher lists their classes and subjects; a parent their children; a pupil themself', async () => {
    const teaching = (await (await as('karim.benali')).get('/api/homework/teaching')).json().teaching;
    expect(teaching.map((x: { className: string; subject: { code: string } }) => `${x.className}:${x.subject.code}`)).toEqual(['6e A:MATHS', '5e B:MATHS']);
    const pupils = (await (await as('sophie.martin')).get('/api/homework/pupils')).json().pupils;
    expect(pupils).toEqual([expect.objectContaining({ id: s.users.lea, className: '6e A', isSelf: false })]);
    const self = (await (await as('lea.martin')).get('/api/homework/pupils')).json().pupils;
    expect(self).toEqual([expect.objectContaining({ id: s.users.lea, isSelf: true })]);
    const both = (await (await as('anne.bernard')).get('/api/homework/pupils')).json().pupils;
    expect(both.map((p: { firstName: string }) => p.firstName)).toEqual(['Hugo']);
  });
});
