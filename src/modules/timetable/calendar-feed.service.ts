/**
 * Private calendar feeds. Each person may have one URL, /ical/<token>.ics, that a calendar app
 * fetches without a session. The token is HMAC-SHA256(server key, person + random nonce): the
 * database keeps the nonce and the token's SHA-256, so the owner can see their URL again, a copy
 * of the database alone reveals no feed, and « Régénérer » (a new nonce) kills the old URL at once.
 */
import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import { randomToken, sha256Hex } from '../../platform/crypto.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError } from '../../shared/errors.ts';
import { authorize, type Actor } from '../access/index.ts';
import { deleteFeed, findFeed, findFeedOwner, replaceFeed } from './calendar-feed.store.ts';
import { buildCalendarText, type HomeworkEvent } from './ical/calendar-text.ts';
import { expandOccurrences } from './occurrences.ts';
import { inScope, type TimetableDeps } from './timetable.service.ts';
import type { TCalendarFeed } from './timetable.schemas.ts';
import { findLessonRows } from './timetable.store.ts';
import { addDays, todayIn } from './zoned-time.ts';

/** The homework module's due dates (its findHomeworkDue), injected so that this module works without it. */
export type FindHomeworkDue = (
  db: Kysely<DB>,
  input: { pupilIds: readonly string[]; from: string; to: string },
) => Promise<readonly HomeworkEvent[]>;

/** The feed covers two weeks back and eight ahead. */
export const FEED_PAST_DAYS = 14;
export const FEED_FUTURE_DAYS = 56;

const tokenOf = (key: Buffer, userId: string, nonce: string): string =>
  createHmac('sha256', key).update(`calendar-feed:${userId}:${nonce}`).digest('base64url');
const pathOf = (token: string): string => `/ical/${token}.ics`;
const FILE = /^([A-Za-z0-9_-]{43})\.ics$/;
const NO_FEED = (): AppError =>
  new AppError('NOT_FOUND', { message: 'Calendrier introuvable : ce lien a été régénéré ou désactivé. Copiez le nouveau lien depuis Préau.' });

/** The person's feed: its URL path, or none. */
export async function getFeed(deps: TimetableDeps, actor: Actor): Promise<TCalendarFeed> {
  authorize(actor, 'timetable.feed.manage', { userId: actor.userId });
  const feed = await findFeed(deps.db, actor.userId);
  if (!feed) return { active: false, path: null, createdAt: null };
  const token = tokenOf(deps.feedKey, actor.userId, feed.nonce);
  // After a rotation of the server secret the URL can no longer be rebuilt (it still works): regenerate to see one.
  const path = sha256Hex(token) === feed.tokenHash ? pathOf(token) : null;
  return { active: true, path, createdAt: feed.createdAt.toISOString() };
}

/** Creates the person's feed, or replaces it: the previous URL stops working. */
export async function regenerateFeed(deps: TimetableDeps, actor: Actor): Promise<TCalendarFeed> {
  authorize(actor, 'timetable.feed.manage', { userId: actor.userId });
  const nonce = randomToken(16);
  const token = tokenOf(deps.feedKey, actor.userId, nonce);
  const createdAt = await replaceFeed(deps.db, actor.userId, nonce, sha256Hex(token));
  return { active: true, path: pathOf(token), createdAt: createdAt.toISOString() };
}

/** Turns the person's feed off. */
export async function revokeFeed(deps: TimetableDeps, actor: Actor): Promise<TCalendarFeed> {
  authorize(actor, 'timetable.feed.manage', { userId: actor.userId });
  await deleteFeed(deps.db, actor.userId);
  return { active: false, path: null, createdAt: null };
}

/**
 * The calendar behind a feed file name (`<token>.ics`), for anyone holding the URL: the token is
 * the credential. Two queries (owner, lessons), plus one for homework when that module is there.
 */
export async function renderFeed(deps: TimetableDeps, file: string): Promise<string> {
  const token = FILE.exec(file)?.[1];
  if (!token) throw NO_FEED();
  const owner = await findFeedOwner(deps.db, sha256Hex(token));
  if (!owner) throw NO_FEED();
  const now = deps.clock.now();
  const today = todayIn(now);
  const from = addDays(today, -FEED_PAST_DAYS);
  const to = addDays(today, FEED_FUTURE_DAYS);

  const childrenByClass = new Map<string, string[]>();
  for (const child of owner.children) {
    for (const classId of child.classIds) childrenByClass.set(classId, [...(childrenByClass.get(classId) ?? []), child.firstName]);
  }
  const classIds = new Set([...owner.enrolled, ...childrenByClass.keys()]);
  const teacherIds = new Set(owner.isTeacher ? [owner.userId] : []);
  const pupilIds = [...(owner.enrolled.length > 0 ? [owner.userId] : []), ...owner.children.map((c) => c.id)];
  const [rows, homework] = await Promise.all([
    findLessonRows(deps.db, { classIds: [...classIds], teacherIds: [...teacherIds] }, from, to),
    deps.homeworkDue && pupilIds.length > 0 ? deps.homeworkDue(deps.db, { pupilIds, from, to }) : Promise.resolve([]),
  ]);
  const occurrences = expandOccurrences(rows, from, to).filter((o) => inScope(o, classIds, teacherIds));
  return buildCalendarText({
    ownerName: `${owner.firstName} ${owner.lastName}`,
    now,
    occurrences,
    childrenByClass: owner.enrolled.length > 0 ? new Map() : childrenByClass,
    homework,
    childNames: new Map(owner.children.map((c) => [c.id, c.firstName])),
  });
}
