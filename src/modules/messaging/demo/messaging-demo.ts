/**
 * A week of messages in the demo collège: the principal to every family about the week, Karim
 * Benali to the parents of 6e A about a test, Sophie Martin's question and his answer, Léa asking
 * about her homework, the CPE about absences. Some read, some not, so the badge has something to
 * say. Written with the module's own store (the same rows as a real send), in one transaction.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../../platform/db/schema.ts';
import { DAY } from '../../../shared/time.ts';
import { DEMO_ACCOUNTS } from '../../schools/index.ts';
import type { TAudience } from '../messaging.schemas.ts';
import { describeGroup, type ClassRef } from '../messaging.rules.ts';
import * as store from '../messaging.store.ts';
import { insertCopies, type Expansion } from '../recipients.store.ts';
import { DEMO_MESSAGES, type DemoAddress, type DemoMessage } from './messaging-demo-content.ts';

const loginOf = (key: (typeof DEMO_ACCOUNTS)[number]['key']): string => DEMO_ACCOUNTS.find((a) => a.key === key)?.login ?? key;

interface Directory {
  people: Map<string, { id: string; firstName: string; lastName: string }>;
  classes: Map<string, ClassRef>;
}

async function loadDirectory(db: Kysely<DB>, schoolId: string): Promise<Directory> {
  const people = await db
    .selectFrom('users as u')
    .innerJoin('school_people as sp', 'sp.user_id', 'u.id')
    .select(['u.id', 'u.login', 'u.first_name', 'u.last_name'])
    .where('sp.school_id', '=', schoolId)
    .execute();
  const classes = await db.selectFrom('classes').select(['id', 'name', 'kind']).where('school_id', '=', schoolId).execute();
  return {
    people: new Map(people.map((p) => [p.login, { id: p.id, firstName: p.first_name, lastName: p.last_name }])),
    classes: new Map(classes.map((c) => [c.name, { id: c.id, name: c.name, kind: c.kind }])),
  };
}

/** The audience and expansion of a demo address (people by login, groups by class name). */
function address(dir: Directory, schoolId: string, to: DemoAddress): { audience: TAudience; expansion: Expansion } {
  const expansion: Expansion = { schoolId, peopleIds: [], pupilsOf: [], parentsOf: [], teachersOf: [], staff: false };
  const audience: TAudience = { groups: [], people: [] };
  for (const login of to.people ?? []) {
    const person = dir.people.get(login);
    if (!person) continue;
    audience.people.push(person);
    expansion.peopleIds.push(person.id);
  }
  for (const [kind, className] of to.groups ?? []) {
    const klass = dir.classes.get(className);
    if (!klass) continue;
    audience.groups.push(describeGroup(kind, klass));
    if (kind === 'class_parents') expansion.parentsOf.push(klass.id);
    if (kind === 'class_pupils') expansion.pupilsOf.push(klass.id);
    if (kind === 'class_teachers') expansion.teachersOf.push(klass.id);
  }
  return { audience, expansion };
}

/** `days` days before `now`, at hh:mm (server time). */
function at(now: Date, days: number, time: string): Date {
  const [h = 8, m = 0] = time.split(':').map(Number);
  const d = new Date(now.getTime() - days * DAY);
  d.setHours(h, m, 0, 0);
  return d.getTime() < now.getTime() ? d : new Date(now.getTime() - 60_000);
}

async function write(tx: Kysely<DB>, dir: Directory, ctx: { schoolId: string; now: Date }, message: DemoMessage, threads: Map<string, { threadId: string; messageIds: string[] }>): Promise<void> {
  const sender = dir.people.get(message.from);
  if (!sender) return;
  const sentAt = at(ctx.now, message.daysAgo, message.time);
  let thread = threads.get(message.thread);
  if (!thread) {
    thread = { threadId: randomUUID(), messageIds: [] };
    threads.set(message.thread, thread);
    await store.insertThread(tx, { id: thread.threadId, schoolId: ctx.schoolId, subject: message.subject ?? message.thread, createdBy: sender.id, at: sentAt });
  }
  const id = randomUUID();
  const { audience, expansion } = address(dir, ctx.schoolId, message.to);
  const inReplyTo = thread.messageIds[thread.messageIds.length - 1] ?? null;
  await store.insertMessage(tx, { id, threadId: thread.threadId, senderId: sender.id, inReplyTo, body: message.body, audience, at: sentAt });
  await insertCopies(tx, { id, threadId: thread.threadId, senderId: sender.id }, expansion);
  thread.messageIds.push(id);
  // Everyone has read it, except the demo people meant to find it unread.
  const unread = (message.unreadBy ?? []).flatMap((login) => dir.people.get(login)?.id ?? []);
  await sql`
    UPDATE message_copies SET read_at = sent_at + interval '2 hours'
    WHERE message_id = ${id} AND read_at IS NULL AND NOT (user_id = ANY(${unread}::uuid[]))`.execute(tx);
}

/**
 * Fills the demo school's messagerie with a realistic week. Does nothing when the school already
 * has conversations (idempotent).
 */
export async function seedMessagingDemo(db: Kysely<DB>, ctx: { schoolId: string; now: Date }): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const existing = await tx.selectFrom('message_threads').select('id').where('school_id', '=', ctx.schoolId).limit(1).executeTakeFirst();
    if (existing) return;
    const dir = await loadDirectory(tx, ctx.schoolId);
    const threads = new Map<string, { threadId: string; messageIds: string[] }>();
    for (const message of DEMO_MESSAGES(loginOf)) await write(tx, dir, ctx, message, threads);
  });
}
