/**
 * Joining a virtual class and seeing who joined. « Rejoindre » opens 10 minutes before the start
 * and closes at the end, checked here with the server's clock; the first join of each person is
 * recorded (joining again changes nothing). A pupil joins as attendee, the lesson's teacher (or
 * substitute) as moderator.
 */
import { AppError } from '../../shared/errors.ts';
import { authorize, type Actor } from '../access/index.ts';
import { findPresence, recordPresence } from './presence.store.ts';
import { loadOccurrence, targetOf, toOccurrenceView, type LessonOccurrence, type TimetableDeps } from './timetable.service.ts';
import type { TJoin, TPresence } from './timetable.schemas.ts';
import { findUserName } from './timetable.store.ts';
import type { VideoRole } from './video/video-provider.ts';
import { frenchDay, frenchTime, todayIn } from './zoned-time.ts';

/** Refuses (409) outside the window, saying when it opens or that it is over. */
function checkWindow(occurrence: LessonOccurrence, now: number): void {
  const window = { opensAt: new Date(occurrence.joinOpensAt).toISOString(), closesAt: new Date(occurrence.end).toISOString() };
  if (now < occurrence.joinOpensAt) {
    const when = todayIn(now) === occurrence.day ? '' : `le ${frenchDay(occurrence.day)} `;
    throw new AppError('CONFLICT', {
      message: `La classe virtuelle ouvre ${when}à ${frenchTime(occurrence.joinOpensAt)}, 10 minutes avant le début du cours.`,
      details: window,
    });
  }
  if (now >= occurrence.end) {
    throw new AppError('CONFLICT', { message: `Ce cours est terminé depuis ${frenchTime(occurrence.end)} : la classe virtuelle est fermée.`, details: window });
  }
}

const isTeaching = (actor: Actor, o: LessonOccurrence): boolean =>
  o.lesson.teacherId === actor.userId || o.exception?.substituteId === actor.userId;

/** Records the person's presence and gives them the URL of the virtual class. */
export async function joinOccurrence(deps: TimetableDeps, actor: Actor, occurrenceId: string): Promise<TJoin> {
  const occurrence = await loadOccurrence(deps, occurrenceId);
  authorize(actor, 'timetable.join', targetOf(occurrence));
  if (occurrence.status === 'cancelled') {
    throw new AppError('CONFLICT', { message: `Ce cours est annulé${occurrence.exception?.cancelReason ? ` (${occurrence.exception.cancelReason})` : ''} : pas de classe virtuelle.` });
  }
  const virtual = occurrence.virtual;
  if (!virtual) throw new AppError('CONFLICT', { message: "Ce cours n'a pas de classe virtuelle." });
  const now = deps.clock.now();
  checkWindow(occurrence, now);

  const role: VideoRole = isTeaching(actor, occurrence) ? 'moderator' : 'attendee';
  let url: string;
  if (virtual.kind === 'url') {
    url = virtual.url ?? '';
  } else {
    const [room, user] = await Promise.all([
      deps.video.get(virtual.kind).createRoom({
        lessonId: occurrence.lesson.id,
        date: occurrence.date,
        title: `${occurrence.lesson.subjectLabel} — ${occurrence.lesson.className}`,
      }),
      findUserName(deps.db, actor.userId),
    ]);
    url = room.joinUrlFor({ id: actor.userId, fullName: user }, role);
  }
  // Recorded once the room is there: a provider that fails leaves no presence behind.
  const presence = await recordPresence(deps.db, { lessonId: occurrence.lesson.id, date: occurrence.date, userId: actor.userId, role, at: new Date(now) });
  return { url, role, joinedAt: presence.joinedAt.toISOString(), firstJoin: presence.first };
}

/** The class's pupils with when they joined (or absent), and the teachers who joined. */
export async function getPresence(deps: TimetableDeps, actor: Actor, occurrenceId: string): Promise<TPresence> {
  const occurrence = await loadOccurrence(deps, occurrenceId);
  authorize(actor, 'timetable.presence.read', targetOf(occurrence));
  const row = await findPresence(deps.db, occurrence.lesson.id, occurrence.date, occurrence.lesson.classId);
  const iso = (at: string | null) => (at === null ? null : new Date(at).toISOString());
  const pupils = row.pupils.map((p) => ({ ...p, joinedAt: iso(p.joinedAt) }));
  return {
    occurrence: toOccurrenceView(occurrence, actor),
    pupils,
    moderators: row.moderators.map((m) => ({ ...m, joinedAt: iso(m.joinedAt) })),
    joined: pupils.filter((p) => p.joinedAt !== null).length,
    total: pupils.length,
  };
}
