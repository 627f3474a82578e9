/**
 * Changing one occurrence: a teacher cancels (with a reason) or moves their own; the direction
 * can do the same and names a substitute; a teacher gives one occurrence its own virtual class.
 * An occurrence that has already ended is history and cannot change (409).
 */
import { AppError } from '../../shared/errors.ts';
import { authorize, type Actor } from '../access/index.ts';
import { virtualOf } from './lessons.service.ts';
import type { Occurrence } from './occurrences.ts';
import { announceChange, loadOccurrence, targetOf, toOccurrenceView, type LessonOccurrence, type TimetableDeps } from './timetable.service.ts';
import type { TCancelBody, TMoveBody, TOccurrence, TOccurrenceVirtualBody, TSubstituteBody } from './timetable.schemas.ts';
import * as store from './timetable.store.ts';
import { frenchDay, frenchTime, parseDate, parseTime, zonedInstant } from './zoned-time.ts';

type ChangeAction = 'timetable.occurrence.change' | 'timetable.virtual.set' | 'timetable.lesson.manage';

/** Loads the occurrence, checks who asks and that it has not ended yet. */
async function loadForChange(deps: TimetableDeps, actor: Actor, occurrenceId: string, action: ChangeAction): Promise<LessonOccurrence> {
  const occurrence = await loadOccurrence(deps, occurrenceId);
  authorize(actor, action, targetOf(occurrence));
  if (deps.clock.now() >= occurrence.end) {
    throw new AppError('CONFLICT', { message: `Ce cours a eu lieu le ${frenchDay(occurrence.day)} : il ne peut plus être modifié.` });
  }
  return occurrence;
}

async function patchAndReload(
  deps: TimetableDeps,
  actor: Actor,
  occurrence: Occurrence<store.LessonRow>,
  patch: store.ExceptionPatch,
): Promise<TOccurrence> {
  await store.patchException(deps.db, occurrence.lesson.id, occurrence.date, patch, actor.userId);
  announceChange(deps, [occurrence.lesson.classId]);
  return toOccurrenceView(await loadOccurrence(deps, occurrence.id), actor);
}

/** Cancels an occurrence; pupils see it crossed out with the reason. */
export async function cancelOccurrence(deps: TimetableDeps, actor: Actor, occurrenceId: string, body: TCancelBody): Promise<TOccurrence> {
  const reason = body.reason.trim();
  if (!reason) throw new AppError('VALIDATION', { message: "Indiquez la raison de l'annulation : les élèves et leurs parents la verront." });
  const occurrence = await loadForChange(deps, actor, occurrenceId, 'timetable.occurrence.change');
  return patchAndReload(deps, actor, occurrence, { cancelled: true, cancelReason: reason });
}

/** Puts a cancelled occurrence back. */
export async function restoreOccurrence(deps: TimetableDeps, actor: Actor, occurrenceId: string): Promise<TOccurrence> {
  const occurrence = await loadForChange(deps, actor, occurrenceId, 'timetable.occurrence.change');
  return patchAndReload(deps, actor, occurrence, { cancelled: false });
}

/** Moves an occurrence to a new date and times, and/or room; moving a cancelled occurrence reinstates it. */
export async function moveOccurrence(deps: TimetableDeps, actor: Actor, occurrenceId: string, body: TMoveBody): Promise<TOccurrence> {
  parseDate(body.date);
  if (parseTime(body.end) <= parseTime(body.start)) {
    throw new AppError('VALIDATION', { message: "L'heure de fin doit être après l'heure de début." });
  }
  const occurrence = await loadForChange(deps, actor, occurrenceId, 'timetable.occurrence.change');
  const newStart = zonedInstant(body.date, parseTime(body.start), occurrence.lesson.timeZone);
  if (newStart <= deps.clock.now()) {
    throw new AppError('VALIDATION', {
      message: `Le ${frenchDay(body.date)} à ${frenchTime(newStart)} est déjà passé : choisissez une date et une heure à venir.`,
      details: { fields: [{ path: 'date', message: 'dans le passé' }] },
    });
  }
  const room = body.room?.trim() || null;
  const lesson = occurrence.lesson;
  const unchanged =
    body.date === occurrence.date && body.start === lesson.startTime && body.end === lesson.endTime && (room === null || room === lesson.room);
  const move = unchanged ? null : { date: body.date, startTime: body.start, endTime: body.end, room: room === lesson.room ? null : room };
  return patchAndReload(deps, actor, occurrence, { move, cancelled: false });
}

/** Puts a moved occurrence back at its planned date, time and room. */
export async function unmoveOccurrence(deps: TimetableDeps, actor: Actor, occurrenceId: string): Promise<TOccurrence> {
  const occurrence = await loadForChange(deps, actor, occurrenceId, 'timetable.occurrence.change');
  return patchAndReload(deps, actor, occurrence, { move: null });
}

/** Names a substitute teacher for one occurrence (the direction). */
export async function setSubstitute(deps: TimetableDeps, actor: Actor, occurrenceId: string, body: TSubstituteBody | null): Promise<TOccurrence> {
  const occurrence = await loadForChange(deps, actor, occurrenceId, 'timetable.lesson.manage');
  if (body && !(await store.isTeacherOfSchool(deps.db, body.teacherId, occurrence.lesson.schoolId))) {
    throw new AppError('NOT_FOUND', { message: 'Enseignant introuvable dans cet établissement.' });
  }
  const substituteId = body && body.teacherId !== occurrence.lesson.teacherId ? body.teacherId : null;
  return patchAndReload(deps, actor, occurrence, { substituteId });
}

/** Gives one occurrence its own virtual class, or ('inherit') the lesson's back. */
export async function setOccurrenceVirtual(
  deps: TimetableDeps,
  actor: Actor,
  occurrenceId: string,
  body: TOccurrenceVirtualBody,
): Promise<TOccurrence> {
  const virtual = body.kind === 'inherit' ? null : virtualOf(deps, body);
  const occurrence = await loadForChange(deps, actor, occurrenceId, 'timetable.virtual.set');
  return patchAndReload(deps, actor, occurrence, { virtual });
}
