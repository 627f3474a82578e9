/**
 * One person's morning, as their browser plays it: open the app (through the waiting room when
 * there is one), resume the remembered session or sign in (or activate the account), load the
 * dashboard (the app asks /api/me and the prefetched /api/dashboard together), then — when the
 * routes exist — open a document, hand in work or write to a teacher, and keep polling the unread
 * count until leaving. Acknowledged writes go into the books for the lost-write check.
 */
import { CookieJar, sessionIdOfCookie } from '../lib/cookies.ts';
import { jsonOf, numberField, stringField, type Identity, type Reply } from '../lib/http.ts';
import type { Context, JourneyKind, Person } from './context.ts';
import { fetchAs, sleep } from './fetch.ts';
import { openPage } from './waiting.ts';

const noteSession = (ctx: Context, who: Identity) => {
  const id = sessionIdOfCookie(who.jar.get('preau_sid'));
  if (id) ctx.writes.sessions.add(id);
};

async function signInWithPassword(ctx: Context, who: Identity, p: Person): Promise<string | null> {
  await fetchAs(ctx, who, '/api/me', { expect: [401] });
  const csrf = stringField(jsonOf(await fetchAs(ctx, who, '/api/auth/csrf')), 'csrfToken');
  if (!csrf) return null;
  const login = await fetchAs(ctx, who, '/api/auth/login', { method: 'POST', json: { login: p.login, password: p.password, remember: true }, headers: { 'x-csrf-token': csrf } });
  if (!login.ok) return null;
  noteSession(ctx, who);
  return stringField(jsonOf(login), 'csrfToken');
}

async function activate(ctx: Context, who: Identity, p: Person): Promise<string | null> {
  const csrf = stringField(jsonOf(await fetchAs(ctx, who, '/api/auth/csrf')), 'csrfToken');
  if (!csrf || !p.activationCode) return null;
  const headers = { 'x-csrf-token': csrf };
  await fetchAs(ctx, who, '/api/auth/activation/check', { method: 'POST', json: { code: p.activationCode }, headers });
  const done = await fetchAs(ctx, who, '/api/auth/activation', { method: 'POST', json: { code: p.activationCode, password: p.password, remember: true }, headers });
  if (!done.ok) return null;
  ctx.writes.activations.add(p.userId);
  noteSession(ctx, who);
  return stringField(jsonOf(done), 'csrfToken');
}

/** Loads the dashboard; its time runs from the first attempt to the answer (retries included). */
async function dashboard(ctx: Context, who: Identity, alongside: Promise<Reply> | null): Promise<{ ok: boolean; ms: number }> {
  const start = performance.now();
  const [dash] = await Promise.all([fetchAs(ctx, who, '/api/dashboard'), alongside]);
  return { ok: dash.status === 200, ms: performance.now() - start };
}

/**
 * Messages each parent sent in this rehearsal. The pool of people is reused across the morning and
 * the surges (a parent "arrives" dozens of times at 10×), so without a cap a simulated parent sent
 * more than the per-account limit (20 at once, then 60 an hour) and the rehearsal counted the
 * platform's honest 429s for a behaviour no parent has. A real parent sends a few in a morning.
 */
const messagesSent = new Map<string, number>();
const MESSAGES_PER_PARENT = 10;

async function actions(ctx: Context, who: Identity, p: Person, csrf: string): Promise<void> {
  const { features, options } = ctx;
  const headers = { 'x-csrf-token': csrf };
  if (features.documents && p.homeworkId && p.attachmentId && Math.random() < options.openDocument) {
    await fetchAs(ctx, who, `/api/homework/${p.homeworkId}/attachments/${p.attachmentId}/content`, { headers: { accept: '*/*' } });
  }
  if (features.homework && p.role === 'pupil' && p.homeworkId && Math.random() < options.handIn) {
    const r = await fetchAs(ctx, who, `/api/homework/${p.homeworkId}/submission`, { method: 'PUT', json: { text: `Rendu de ${p.login} à ${new Date().toISOString()}` }, headers });
    const id = stringField(jsonOf(r), 'id');
    const version = numberField(jsonOf(r), 'version');
    if (r.ok && id && version !== null) ctx.writes.handIns.set(id, Math.max(version, ctx.writes.handIns.get(id) ?? 0));
  }
  const sent = messagesSent.get(p.login) ?? 0;
  if (features.messaging && p.role === 'parent' && p.teacherUserId && sent < MESSAGES_PER_PARENT && Math.random() < options.sendMessage) {
    messagesSent.set(p.login, sent + 1);
    const r = await fetchAs(ctx, who, '/api/messages/threads', {
      method: 'POST',
      json: { subject: 'Absence ce matin', body: `Bonjour, mon enfant sera absent ce matin (${p.login}).`, recipients: { people: [p.teacherUserId] } },
      headers,
    });
    const id = stringField(jsonOf(r), 'messageId');
    if (r.ok && id) ctx.writes.messages.add(id);
  }
}

/** Plays the morning of `p`; `kind` says how they get in. */
export async function journey(ctx: Context, p: Person, kind: JourneyKind): Promise<void> {
  const { rec } = ctx;
  rec.arrival();
  const jar = kind === 'resume' && p.remembered ? p.remembered.clone() : new CookieJar();
  // Overnight the 5-minute pass and the admission pass have run out; the remembered session stays.
  jar.delete('preau_pass');
  jar.delete('preau_adm');
  const who: Identity = { jar, userAgent: p.userAgent, ip: p.ip };
  try {
    const shell = await openPage(ctx, who, '/');
    if (shell.wait) ctx.waits.push(shell.wait);
    if (!shell.reply.ok) return;
    let csrf: string | null = null;
    let dash: { ok: boolean; ms: number };
    if (kind === 'resume') {
      let me: Reply | null = null;
      dash = await dashboard(ctx, who, fetchAs(ctx, who, '/api/me', { expect: [401] }).then((r) => (me = r)));
      csrf = me ? stringField(jsonOf(me), 'csrfToken') : null;
    } else {
      csrf = kind === 'activate' ? await activate(ctx, who, p) : await signInWithPassword(ctx, who, p);
      if (!csrf) return;
      dash = await dashboard(ctx, who, null);
    }
    if (!dash.ok) return;
    rec.admitted(dash.ms);
    if (ctx.features.messaging) await fetchAs(ctx, who, '/api/messages/unread-count');
    if (csrf) await actions(ctx, who, p, csrf);
    for (let i = 0; i < ctx.options.stayPolls; i++) {
      await sleep(ctx.options.pollMs * (0.8 + 0.4 * Math.random()));
      await fetchAs(ctx, who, ctx.features.messaging ? '/api/messages/unread-count' : '/api/me');
    }
  } finally {
    rec.left();
  }
}
