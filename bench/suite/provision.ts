/**
 * What the benchmark needs from a freshly started Préau with its demo school: the demo accounts
 * (through the administrator's people list), signed-in pupils' cookies (each pupil signed in once,
 * over the real API), an anonymous CSRF pair for the sign-in line, and a document to download
 * when the documents module is there (uploaded through POST /api/files, feature-detected).
 */
import type { Agent } from 'undici';
import { CookieJar } from '../lib/cookies.ts';
import { call, field, jsonOf, stringField, type Identity } from '../lib/http.ts';
import { callPatiently } from '../lib/patient.ts';
import { benchAddress, csrfToken, inParallel, signIn } from '../lib/session.ts';

export const BENCH_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Safari/537.36 preau-bench';
const DEMO_PASSWORD = 'preau-demo';
const ADMIN_LOGIN = 'nathalie.roux';
const TEACHER_LOGIN = 'karim.benali';

export interface Person {
  login: string;
  roles: string[];
  activated: boolean;
}

export interface BenchFixtures {
  /** Cookie headers of signed-in pupils: the remembered session only. */
  sessionCookies: string[];
  /**
   * The remembered session plus the waiting room's admission pass, renewed now, without the
   * 5-minute identity pass: every request resumes the session (one database read) but is not
   * queued by the room. With the session alone, the front door queues the request in its
   * returning lane whenever direct entries run out (the room's job at 9:00), and the line measured
   * the room refusing (every answer a 503) instead of a resume.
   */
  admittedCookies(): Promise<string[]>;
  /**
   * The session, a live 5-minute pass and the room's admission pass (a request a minute later, as
   * a browser sends it), renewed now. Without the admission pass, the front door signed a new one
   * for every request of the line (a Set-Cookie no browser would cause).
   */
  passCookies(): Promise<string[]>;
  /** Activated demo accounts (for the sign-in line). */
  logins: string[];
  /** Anonymous sign-in material, fresh: CSRF cookie + token and an admission pass for the /24 used. */
  signIn(): Promise<{ cookie: string; token: string }>;
  /** A downloadable document (its cookies renewed now), or why there is none. */
  document: (() => Promise<{ path: string; cookie: string; bytes: number }>) | { unavailable: string };
}

const who = (ip: string | null = null): Identity => ({ jar: new CookieJar(), userAgent: BENCH_UA, ip });

async function listPeople(agent: Agent, base: string): Promise<Person[]> {
  const admin = who();
  const { me } = await signIn(agent, base, admin, ADMIN_LOGIN, DEMO_PASSWORD);
  const schoolId = me?.roles.find((r) => r.schoolId)?.schoolId;
  if (!schoolId) throw new Error('the demo administrator cannot sign in: is the demo school seeded?');
  const reply = await callPatiently(agent, base, admin, `/api/schools/${schoolId}/people?limit=500`);
  const rows = field(jsonOf(reply), 'people') ?? field(jsonOf(reply), 'items') ?? field(jsonOf(reply), 'rows');
  if (!Array.isArray(rows)) throw new Error(`unexpected people list (${reply.status}): ${reply.text.slice(0, 200)}`);
  return rows.map((r: unknown) => ({
    login: stringField(r, 'login') ?? '',
    roles: (field(r, 'roles') as string[] | undefined) ?? [],
    activated: field(r, 'activated') === true,
  }));
}

export async function provisionBench(agent: Agent, base: string, docKb: number): Promise<BenchFixtures> {
  const people = await listPeople(agent, base);
  const logins = people.filter((p) => p.activated && p.login).map((p) => p.login);
  const pupils = people.filter((p) => p.activated && p.roles.includes('pupil')).map((p) => p.login);
  const jars = await inParallel(pupils, 4, async (login, i) => {
    const person = who(benchAddress(i));
    const { me } = await signIn(agent, base, person, login, DEMO_PASSWORD);
    return me ? person.jar : null;
  });
  const signed = jars.filter((j): j is CookieJar => j !== null);
  if (signed.length === 0) throw new Error('no demo pupil could sign in');
  const cookieOf = (jar: CookieJar, names: string[]) => names.map((n) => `${n}=${jar.get(n) ?? ''}`).join('; ');
  return {
    sessionCookies: signed.map((j) => cookieOf(j, ['preau_sid'])),
    admittedCookies: async () => {
      // Renews the admission pass for the load generator's address and user agent.
      await inParallel(signed, 4, (jar) => callPatiently(agent, base, { jar, userAgent: BENCH_UA, ip: null }, '/api/me'));
      return signed.map((j) => cookieOf(j, ['preau_sid', 'preau_adm']));
    },
    passCookies: async () => {
      // One resume per pupil sets a fresh pass (5 minutes) in each jar.
      await inParallel(signed, 4, (jar) => callPatiently(agent, base, { jar, userAgent: BENCH_UA, ip: null }, '/api/me'));
      return signed.map((j) => cookieOf(j, ['preau_sid', 'preau_pass', 'preau_adm']));
    },
    logins,
    signIn: async () => {
      const anonymous = who(benchAddress(0));
      const token = await csrfToken(agent, base, anonymous);
      if (!token) throw new Error('no CSRF token for the sign-in line');
      return { cookie: anonymous.jar.header() ?? '', token };
    },
    document: await provisionDocument(agent, base, docKb),
  };
}

/** A PDF-looking file of `kb` kilobytes (the start of a PDF, then filler, then its end). */
export function pdfOfSize(kb: number): Buffer {
  const head = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n', 'latin1');
  const tail = Buffer.from('\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
  const filler = Buffer.alloc(Math.max(0, kb * 1024 - head.length - tail.length), 0x20);
  return Buffer.concat([head, filler, tail]);
}

export function multipart(filename: string, bytes: Buffer): { body: Buffer; contentType: string } {
  const boundary = `----preaubench${Date.now().toString(36)}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

async function provisionDocument(agent: Agent, base: string, kb: number): Promise<BenchFixtures['document']> {
  const teacher = who();
  const { me } = await signIn(agent, base, teacher, TEACHER_LOGIN, DEMO_PASSWORD);
  if (!me) return { unavailable: 'the demo teacher cannot sign in' };
  const bytes = pdfOfSize(kb);
  const { body, contentType } = multipart('fiche-fractions.pdf', bytes);
  const upload = await callPatiently(agent, base, teacher, '/api/files', { method: 'POST', body, contentType, headers: { 'x-csrf-token': me.csrfToken } });
  const uploaded = jsonOf(upload);
  const id = stringField(uploaded, 'id') ?? stringField(uploaded, 'file', 'id');
  if (!upload.ok || !id) return { unavailable: `POST /api/files answered ${upload.status}` };
  const path = `/api/documents/files/${id}/content`;
  const probe = await call(agent, base, teacher, path);
  if (probe.status !== 200) return { unavailable: `GET ${path.replace(id, ':id')} answered ${probe.status}` };
  return async () => {
    await callPatiently(agent, base, teacher, '/api/me');
    return { path, cookie: teacher.jar.header() ?? '', bytes: bytes.length };
  };
}
