/** Writing: a new conversation, and replies. One message row and one INSERT … SELECT of its copies. */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { EventPublisher } from '../../platform/events.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { authorize, can, type Actor } from '../access/index.ts';
import { checkAttachments } from './attachments.service.ts';
import { resolveAudience, type Addressing, type Resolved } from './audience.ts';
import type { TNewThreadBody, TReplyBody, TSent } from './messaging.schemas.ts';
import { effectiveRules } from './messaging.rules.ts';
import * as store from './messaging.store.ts';
import { findSchoolContext, insertCopies } from './recipients.store.ts';

export interface MessagingDeps {
  db: Kysely<DB>;
  /** Told after a message is written: its recipients' open pages update (live updates). */
  events?: EventPublisher;
}

const invalid = (message: string): AppError => new AppError('VALIDATION', { message });

function cleanSubject(subject: string): string {
  const s = subject.trim();
  if (!s) throw invalid("L'objet du message est vide : écrivez quelques mots pour le résumer.");
  return s;
}

function cleanBody(body: string): string {
  const b = body.trim();
  if (!b) throw invalid('Le message est vide : écrivez votre texte avant de l’envoyer.');
  return b;
}

/** The school where a person writes when they do not say: their only one, or the first. */
export function defaultSchoolOf(actor: Actor): string | null {
  return [...actor.schoolIds].sort().find((id) => can(actor, 'messaging.use', { schoolId: id })) ?? null;
}

async function addressingFor(deps: MessagingDeps, schoolId: string): Promise<Addressing> {
  const context = await findSchoolContext(deps.db, schoolId, []);
  return { schoolId, rules: effectiveRules(context.rules), classes: context.classes };
}

interface Delivery {
  threadId: string;
  attachmentIds: string[];
  newThread: { schoolId: string; subject: string } | null;
  inReplyTo: string | null;
  body: string;
  resolved: Resolved;
}

/** Writes thread (when new), message and copies in one transaction; nothing is kept if nobody receives it. */
async function deliver(deps: MessagingDeps, actor: Actor, d: Delivery): Promise<TSent> {
  const messageId = randomUUID();
  const recipientCount = await deps.db.transaction().execute(async (tx) => {
    if (d.newThread) await store.insertThread(tx, { id: d.threadId, schoolId: d.newThread.schoolId, subject: d.newThread.subject, createdBy: actor.userId });
    await store.insertMessage(tx, { id: messageId, threadId: d.threadId, senderId: actor.userId, inReplyTo: d.inReplyTo, body: d.body, audience: d.resolved.audience });
    const count = await insertCopies(tx, { id: messageId, threadId: d.threadId, senderId: actor.userId }, d.resolved.expansion);
    if (count === 0) throw invalid("Les groupes choisis ne comptent personne pour l'instant : le message n'a pas été envoyé.");
    await store.insertAttachments(tx, messageId, d.attachmentIds);
    return count;
  });
  if (deps.events) {
    // After the commit: who got a copy (a class message is expanded by the database), one indexed read.
    const userIds = await store.findRecipientIds(deps.db, messageId);
    void deps.events.publish({ type: 'message.received', userIds, threadId: d.threadId, messageId });
  }
  return { threadId: d.threadId, messageId, recipientCount, audience: d.resolved.audience };
}

/**
 * Starts a conversation: checks every recipient against the school's rules (403 naming those who
 * cannot be reached), then writes the message once and its copies in one statement.
 */
export async function startThread(deps: MessagingDeps, actor: Actor, input: TNewThreadBody): Promise<TSent> {
  const schoolId = input.schoolId ?? defaultSchoolOf(actor);
  if (!schoolId) throw new AppError('FORBIDDEN', { message: "Vous n'appartenez à aucun établissement : la messagerie ne vous est pas ouverte." });
  authorize(actor, 'messaging.use', { schoolId });
  const subject = cleanSubject(input.subject);
  const body = cleanBody(input.body);
  const addressing = await addressingFor(deps, schoolId);
  const wanted = { people: input.recipients.people ?? [], groups: input.recipients.groups ?? [] };
  const resolved = await resolveAudience(deps.db, actor, addressing, wanted, { strict: true });
  const attachmentIds = await checkAttachments(deps.db, actor, input.attachmentIds);
  return deliver(deps, actor, { threadId: randomUUID(), attachmentIds, newThread: { schoolId, subject }, inReplyTo: null, body, resolved });
}

/**
 * Answers a message of a thread. To its author only, or (replyAll) to its author and everyone it
 * was addressed to, groups expanded again now, leaving out whom the writer may not reach. The
 * author of a message may always be answered.
 */
export async function replyToThread(deps: MessagingDeps, actor: Actor, threadId: string, input: TReplyBody): Promise<TSent> {
  const original = await store.findVisibleMessage(deps.db, actor.userId, threadId, input.inReplyTo);
  if (!original) throw notFound('Message');
  authorize(actor, 'messaging.message.read', { senderId: original.senderId, recipientIds: original.isRecipient ? [actor.userId] : [] });
  authorize(actor, 'messaging.use', { schoolId: original.schoolId });
  const body = cleanBody(input.body);
  const authorIsMe = original.senderId === actor.userId;
  const everyone = input.replyAll === true || authorIsMe;
  const wanted = {
    people: [...(authorIsMe ? [] : [original.senderId]), ...(everyone ? original.audience.people.map((p) => p.id) : [])],
    groups: everyone ? original.audience.groups.map((g) => ({ kind: g.kind, ...(g.classId ? { classId: g.classId } : {}) })) : [],
  };
  const addressing = await addressingFor(deps, original.schoolId);
  const resolved = await resolveAudience(deps.db, actor, addressing, wanted, { strict: false, alwaysKeep: authorIsMe ? null : original.senderId });
  const attachmentIds = await checkAttachments(deps.db, actor, input.attachmentIds);
  return deliver(deps, actor, { threadId, attachmentIds, newThread: null, inReplyTo: original.id, body, resolved });
}
