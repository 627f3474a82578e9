/**
 * Provisions the rehearsal's school through the real API, as a school would: the demo school's
 * administrator imports the population CSV, then people activate their accounts with their codes
 * (each activation sets a password and opens a remembered session: the cookie jar the morning
 * resumes). A few pupils keep their code for the morning; half the parents never activate.
 * Teachers then post an assignment with a worksheet for each class when homework and files exist.
 */
import type { Agent } from 'undici';
import { CookieJar, sessionIdOfCookie } from '../lib/cookies.ts';
import { field, jsonOf, stringField, type Identity } from '../lib/http.ts';
import { callPatiently } from '../lib/patient.ts';
import { benchAddress, csrfToken, inParallel, meOf, signIn } from '../lib/session.ts';
import { multipart, pdfOfSize } from '../suite/provision.ts';
import type { Features, Person, Writes } from './context.ts';
import { planPopulation, populationCsv, type Population } from './population.ts';

const USER_AGENTS = [
  'Mozilla/5.0 (Linux; Android 12; SM-A125F) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 Version/17.2 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120 Safari/537.36',
  'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
];

export interface Provisioned {
  people: Person[];
  features: Features & { sendMessage: boolean };
  population: Population;
  activations: number;
  seconds: number;
}

interface NewAccount {
  userId: string;
  login: string;
  profile: string;
  className: string | null;
  activationCode: string;
}

async function importPopulation(agent: Agent, base: string, population: Population): Promise<NewAccount[]> {
  const admin: Identity = { jar: new CookieJar(), userAgent: USER_AGENTS[2]!, ip: benchAddress(60_000) };
  const { me } = await signIn(agent, base, admin, 'nathalie.roux', 'preau-demo');
  const schoolId = me?.roles.find((r) => r.role === 'school_admin')?.schoolId;
  if (!me || !schoolId) throw new Error('the demo administrator (nathalie.roux) cannot sign in: start Préau with PREAU_DEMO=true');
  const accounts: NewAccount[] = [];
  for (const csv of populationCsv(population)) {
    const r = await callPatiently(agent, base, admin, `/api/schools/${schoolId}/imports`, { method: 'POST', body: csv, contentType: 'text/csv; charset=utf-8', headers: { 'x-csrf-token': me.csrfToken }, timeoutMs: 300_000 });
    const list = field(jsonOf(r), 'newAccounts');
    if (!r.ok || !Array.isArray(list)) throw new Error(`import refused (${r.status}): ${r.text.slice(0, 500)}`);
    for (const a of list) {
      accounts.push({ userId: stringField(a, 'userId') ?? '', login: stringField(a, 'login') ?? '', profile: stringField(a, 'profile') ?? '', className: stringField(a, 'className'), activationCode: stringField(a, 'activationCode') ?? '' });
    }
  }
  return accounts;
}

/** Activates one account over the API; returns the remembered cookies. */
async function activateAccount(agent: Agent, base: string, who: Identity, code: string, password: string, writes: Writes, userId: string): Promise<CookieJar | null> {
  const token = await csrfToken(agent, base, who);
  if (!token) return null;
  const r = await callPatiently(agent, base, who, '/api/auth/activation', { method: 'POST', json: { code, password, remember: true }, headers: { 'x-csrf-token': token } });
  if (!meOf(r)) return null;
  writes.activations.add(userId);
  const sid = sessionIdOfCookie(who.jar.get('preau_sid'));
  if (sid) writes.sessions.add(sid);
  return who.jar;
}

export async function provision(agent: Agent, base: string, pupilCount: number, writes: Writes, say: (s: string) => void): Promise<Provisioned> {
  const started = Date.now();
  const population = planPopulation(pupilCount);
  const accounts = await importPopulation(agent, base, population);
  say(`rehearse: imported ${accounts.length} accounts (${population.pupils.length} pupils, ${population.parents.length} parents, ${population.teachers.length} teachers, ${population.classes.length} classes)`);
  const family = new Map<string, number>();
  for (const p of population.pupils) family.set(p.first.toLowerCase(), p.family);
  for (const p of population.parents) family.set(p.first.toLowerCase(), p.family);
  const people: Person[] = accounts.map((a, i) => {
    const first = a.login.split('.')[0] ?? '';
    const f = family.get(first);
    const role = a.profile === 'teacher' || a.profile === 'enseignant' ? 'teacher' : a.profile === 'parent' ? 'parent' : 'pupil';
    return {
      login: a.login,
      password: `Repetition-${i}-9h00`,
      userId: a.userId,
      role,
      remembered: null,
      activationCode: a.activationCode,
      ip: benchAddress(f !== undefined ? f + 1 : 50_000 + i),
      userAgent: USER_AGENTS[i % USER_AGENTS.length]!,
      homeworkId: null,
      attachmentId: null,
      teacherUserId: null,
    };
  });
  // Who activates now: every teacher, pupils but one in 33 (they do it on the morning), half the parents.
  const now = people.filter((p, i) => p.role === 'teacher' || (p.role === 'pupil' && i % 33 !== 7) || (p.role === 'parent' && i % 2 === 0));
  let done = 0;
  await inParallel(now, 6, async (p) => {
    const jar = await activateAccount(agent, base, { jar: new CookieJar(), userAgent: p.userAgent, ip: p.ip }, p.activationCode ?? '', p.password, writes, p.userId);
    if (jar) {
      p.remembered = jar;
      p.activationCode = null;
    }
    if (++done % 100 === 0) say(`rehearse: ${done}/${now.length} accounts activated`);
  });
  const features = await setUpSchoolDay(agent, base, people, population, writes);
  return { people, features, population, activations: done, seconds: (Date.now() - started) / 1000 };
}

/** Feature detection and the school day's material: an assignment with a worksheet per class. */
async function setUpSchoolDay(agent: Agent, base: string, people: Person[], population: Population, writes: Writes): Promise<Features & { sendMessage: boolean }> {
  const byLogin = new Map(people.map((p) => [p.login, p]));
  const teachers = people.filter((p) => p.role === 'teacher' && p.remembered);
  const pupil = people.find((p) => p.role === 'pupil' && p.remembered);
  const features = { messaging: false, homework: false, documents: false, sendMessage: false };
  if (pupil?.remembered) {
    const r = await callPatiently(agent, base, { jar: pupil.remembered.clone(), userAgent: pupil.userAgent, ip: pupil.ip }, '/api/messages/unread-count');
    features.messaging = r.status === 200;
  }
  const classTeacher = new Map<string, Person>();
  const pdf = pdfOfSize(120);
  await inParallel(teachers, 3, async (t) => {
    const who: Identity = { jar: t.remembered!.clone(), userAgent: t.userAgent, ip: t.ip };
    const me = meOf(await callPatiently(agent, base, who, '/api/me'));
    const teaching = field(jsonOf(await callPatiently(agent, base, who, '/api/homework/teaching')), 'teaching');
    if (!me || !Array.isArray(teaching)) return;
    for (const entry of teaching) {
      const classId = stringField(entry, 'classId');
      const className = stringField(entry, 'className');
      if (stringField(entry, 'subject', 'code') !== 'MATHS' || !classId || !className) continue;
      classTeacher.set(className, t);
      const { body, contentType } = multipart(`fiche-${className}.pdf`, pdf);
      const up = await callPatiently(agent, base, who, '/api/files', { method: 'POST', body, contentType, headers: { 'x-csrf-token': me.csrfToken } });
      const fileId = stringField(jsonOf(up), 'id') ?? stringField(jsonOf(up), 'file', 'id');
      const due = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
      const hw = await callPatiently(agent, base, who, `/api/classes/${classId}/homework`, {
        method: 'POST',
        json: { subject: 'MATHS', instructions: 'Exercices 1 à 4 de la fiche', dueDate: due, dueTime: '18:00', requiresSubmission: true, ...(fileId ? { attachmentIds: [fileId] } : {}) },
        headers: { 'x-csrf-token': me.csrfToken },
      });
      const homeworkId = stringField(jsonOf(hw), 'id');
      const attachments = field(jsonOf(hw), 'attachments');
      const attachmentId = Array.isArray(attachments) ? stringField(attachments[0], 'id') : null;
      if (!homeworkId) continue;
      features.homework = true;
      if (attachmentId) features.documents = true;
      for (const p of population.pupils.filter((x) => x.className === className)) {
        const person = byLogin.get(`${p.first}.${p.last}`.toLowerCase());
        if (person) Object.assign(person, { homeworkId, attachmentId });
      }
    }
  });
  for (const parent of population.parents) {
    const person = byLogin.get(`${parent.first}.${parent.last}`.toLowerCase());
    const child = population.pupils.find((x) => x.id === parent.children[0]);
    const teacher = child ? classTeacher.get(child.className) : undefined;
    if (person && teacher) person.teacherUserId = teacher.userId;
  }
  features.sendMessage = features.messaging && (await probeMessage(agent, base, people, writes));
  return features;
}

/** One message from a parent to a teacher: can parents write to teachers here? */
async function probeMessage(agent: Agent, base: string, people: Person[], writes: Writes): Promise<boolean> {
  const parent = people.find((p) => p.role === 'parent' && p.remembered && p.teacherUserId);
  if (!parent?.remembered) return false;
  const who: Identity = { jar: parent.remembered.clone(), userAgent: parent.userAgent, ip: parent.ip };
  const me = meOf(await callPatiently(agent, base, who, '/api/me'));
  if (!me) return false;
  const r = await callPatiently(agent, base, who, '/api/messages/threads', {
    method: 'POST',
    json: { subject: 'Bonjour', body: 'Message de vérification de la répétition.', recipients: { people: [parent.teacherUserId] } },
    headers: { 'x-csrf-token': me.csrfToken },
  });
  const id = stringField(jsonOf(r), 'messageId');
  if (r.ok && id) writes.messages.add(id);
  return r.ok;
}
