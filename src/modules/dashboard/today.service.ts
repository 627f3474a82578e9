/**
 * « Aujourd'hui »: the part of the dashboard every pupil loads at 9:00. It asks each school-day
 * module through its index for one bounded list, in parallel, so the number of queries depends on
 * the person's roles (at most 7 here), never on the size of the school.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { addCalendarDays, parisDate } from '../../shared/time.ts';
import { hasRole, type Actor } from '../access/index.ts';
import { findNewestDocuments, type NewestDocument } from '../documents/index.ts';
import { findHandInStatuses, findHomeworkDue, findSubmissionsToReview, type ClassHomeworkItem, type HomeworkDue } from '../homework/index.ts';
import { countUnread, findRecentThreads } from '../messaging/index.ts';
import { findLessonsOn, type DayLesson } from '../timetable/index.ts';
import type { ClassSections } from './class-sections.ts';
import type { TToday } from './dashboard.schemas.ts';

/** How far ahead homework shows on the dashboard. */
export const HOMEWORK_DAYS_AHEAD = 7;
const RECENT_THREADS = 3;
const NEW_DOCUMENTS = 5;

/**
 * With `sections` (the per-class cache), the lessons, homework items and documents of the person's
 * classes come from memory when a classmate loaded them recently; without, one query each.
 */
export async function getToday(db: Kysely<DB>, actor: Actor, nowMs: number, sections?: ClassSections): Promise<TToday> {
  const date = parisDate(nowMs);
  const to = addCalendarDays(date, HOMEWORK_DAYS_AHEAD);
  const classIds = [...new Set([...actor.enrolledClassIds, ...actor.childClassIds])];
  const isPupil = hasRole(actor, 'pupil');
  const pupilIds = [...(isPupil ? [actor.userId] : []), ...actor.childIds];
  const teaches = hasRole(actor, 'teacher');
  const none = Promise.resolve([]);
  const [lessons, teaching, homework, toReview, unread, recentThreads, documents] = await Promise.all([
    classIds.length === 0 ? none : sections ? lessonsOf(sections, classIds, date) : findLessonsOn(db, { classIds, date }),
    teaches ? findLessonsOn(db, { classIds: [], teacherId: actor.userId, date }) : none,
    pupilIds.length === 0
      ? none
      : // A parent's children each have their own classes: the one query that knows which is simpler there.
        sections && actor.childIds.size === 0
        ? pupilHomework(db, sections, actor.userId, [...actor.enrolledClassIds], date, to)
        : findHomeworkDue(db, { pupilIds, from: date, to }),
    teaches ? findSubmissionsToReview(db, actor.userId, { today: date }) : none,
    countUnread(db, [actor.userId]),
    findRecentThreads(db, actor.userId, RECENT_THREADS),
    classIds.length === 0 ? none : sections ? documentsOf(sections, classIds) : findNewestDocuments(db, { classIds, limit: NEW_DOCUMENTS }),
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

/** The classes' lessons merged in findLessonsOn's order (start, end, occurrence). */
async function lessonsOf(sections: ClassSections, classIds: readonly string[], date: string): Promise<DayLesson[]> {
  const lists = await Promise.all(classIds.map((id) => sections.lessons(id, date)));
  if (lists.length === 1) return lists[0]!;
  return lists.flat().sort((a, b) => a.start.localeCompare(b.start) || a.end.localeCompare(b.end) || a.occurrenceId.localeCompare(b.occurrenceId));
}

/**
 * The newest documents across the classes, as findNewestDocuments gives them: each class's newest
 * few hold the overall newest few; a file shared with several classes is one entry listing them.
 */
async function documentsOf(sections: ClassSections, classIds: readonly string[]): Promise<NewestDocument[]> {
  const lists = await Promise.all(classIds.map((id) => sections.documents(id, NEW_DOCUMENTS)));
  if (lists.length === 1) return lists[0]!;
  const byId = new Map<string, NewestDocument>();
  for (const doc of lists.flat()) {
    const seen = byId.get(doc.id);
    if (!seen) {
      byId.set(doc.id, { ...doc, classIds: [...doc.classIds] });
      continue;
    }
    seen.classIds = [...new Set([...seen.classIds, ...doc.classIds])].sort();
    if (doc.sharedAt > seen.sharedAt) Object.assign(seen, { sharedAt: doc.sharedAt, sharedBy: doc.sharedBy });
  }
  return [...byId.values()].sort((a, b) => b.sharedAt.localeCompare(a.sharedAt) || a.id.localeCompare(b.id)).slice(0, NEW_DOCUMENTS);
}

/**
 * A pupil's homework due: the items of their classes (cached per class) with their own status,
 * read in one small query only when an item expects a hand-in (the others stay « À faire »).
 */
async function pupilHomework(
  db: Kysely<DB>,
  sections: ClassSections,
  pupilId: string,
  classIds: readonly string[],
  from: string,
  to: string,
): Promise<HomeworkDue[]> {
  const items: ClassHomeworkItem[] = (await Promise.all(classIds.map((id) => sections.homework(id, from, to)))).flat();
  if (items.length === 0) return [];
  const handInIds = items.filter((i) => i.requiresSubmission).map((i) => i.homeworkId);
  const statuses = handInIds.length > 0 ? await findHandInStatuses(db, { pupilIds: [pupilId], homeworkIds: handInIds }) : [];
  const byItem = new Map(statuses.map((s) => [s.homeworkId, s]));
  return items
    .map((item) => {
      const mine = byItem.get(item.homeworkId);
      return { ...item, pupilId, status: mine?.status ?? 'todo', mark: mine?.mark ?? null, hasFeedback: mine?.hasFeedback ?? false };
    })
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || compareTime(a.dueTime, b.dueTime) || a.subject.localeCompare(b.subject));
}

/** 'HH:MM' before null (end of the day), as `ORDER BY due_time NULLS LAST`. */
function compareTime(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
