/**
 * « Aujourd'hui »: the part of the dashboard every pupil loads at 9:00. It asks each school-day
 * module through its index for one bounded list, in parallel, so the number of queries depends on
 * the person's roles (at most 7 here), never on the size of the school.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { addCalendarDays, parisDate } from '../../shared/time.ts';
import { hasRole, type Actor } from '../access/index.ts';
import { findNewestDocuments } from '../documents/index.ts';
import { findHomeworkDue, findSubmissionsToReview } from '../homework/index.ts';
import { countUnread, findRecentThreads } from '../messaging/index.ts';
import { findLessonsOn } from '../timetable/index.ts';
import type { TToday } from './dashboard.schemas.ts';

/** How far ahead homework shows on the dashboard. */
export const HOMEWORK_DAYS_AHEAD = 7;
const RECENT_THREADS = 3;
const NEW_DOCUMENTS = 5;

export async function getToday(db: Kysely<DB>, actor: Actor, nowMs: number): Promise<TToday> {
  const date = parisDate(nowMs);
  const classIds = [...new Set([...actor.enrolledClassIds, ...actor.childClassIds])];
  const pupilIds = [...(hasRole(actor, 'pupil') ? [actor.userId] : []), ...actor.childIds];
  const teaches = hasRole(actor, 'teacher');
  const none = Promise.resolve([]);
  const [lessons, teaching, homework, toReview, unread, recentThreads, documents] = await Promise.all([
    classIds.length > 0 ? findLessonsOn(db, { classIds, date }) : none,
    teaches ? findLessonsOn(db, { classIds: [], teacherId: actor.userId, date }) : none,
    pupilIds.length > 0 ? findHomeworkDue(db, { pupilIds, from: date, to: addCalendarDays(date, HOMEWORK_DAYS_AHEAD) }) : none,
    teaches ? findSubmissionsToReview(db, actor.userId, { today: date }) : none,
    countUnread(db, [actor.userId]),
    findRecentThreads(db, actor.userId, RECENT_THREADS),
    classIds.length > 0 ? findNewestDocuments(db, { classIds, limit: NEW_DOCUMENTS }) : none,
  ]);
  return {
    date,
    lessons,
    teaching,
    homework,
    toReview,
    unreadMessages: unread[actor.userId] ?? 0,
    recentThreads: recentThreads.map((t) => ({
      id: t.id,
      subject: t.subject,
      unreadCount: t.unreadCount,
      lastMessage: { sender: t.lastMessage.sender, snippet: t.lastMessage.snippet, sentAt: t.lastMessage.sentAt },
    })),
    documents,
  };
}
