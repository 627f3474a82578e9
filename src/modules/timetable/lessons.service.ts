/**
 * Making the timetable: the direction creates, edits and deletes weekly lessons; a lesson's
 * teacher (or the direction) sets its virtual class.
 */
import { AppError, notFound } from '../../shared/errors.ts';
import { authorize, type Actor } from '../access/index.ts';
import { announceChange, type TimetableDeps } from './timetable.service.ts';
import type { TLesson, TLessonBody, TLessonVirtualBody } from './timetable.schemas.ts';
import * as store from './timetable.store.ts';
import { daysBetween, frenchDay, parseDate, parseTime } from './zoned-time.ts';

const WEEKDAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];
const hm = (time: string) => time.replace(/^0?(\d+):(\d\d)$/, '$1 h $2');

/** A plain link must be https (a classroom link over http can be read or changed on the way). */
export function httpsUrl(raw: string | undefined): string {
  const value = raw?.trim() ?? '';
  if (!value) throw new AppError('VALIDATION', { message: "Indiquez l'adresse de la classe virtuelle (https://…)." });
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AppError('VALIDATION', { message: `« ${value.slice(0, 80)} » n'est pas une adresse web valide.` });
  }
  if (url.protocol !== 'https:') {
    throw new AppError('VALIDATION', { message: "L'adresse de la classe virtuelle doit commencer par https:// (un lien http n'est pas chiffré)." });
  }
  if (url.username || url.password) throw new AppError('VALIDATION', { message: "L'adresse ne doit pas contenir d'identifiant ni de mot de passe." });
  return url.toString();
}

/** Checks a lesson's fields and who may write it; returns what to store. */
async function checkLesson(deps: TimetableDeps, actor: Actor, body: TLessonBody, lessonId: string | null): Promise<store.LessonValues> {
  if (parseTime(body.end) <= parseTime(body.start)) {
    throw new AppError('VALIDATION', { message: `L'heure de fin (${hm(body.end)}) doit être après l'heure de début (${hm(body.start)}).`, details: { fields: [{ path: 'end', message: 'avant le début' }] } });
  }
  parseDate(body.validFrom);
  parseDate(body.validTo);
  const span = daysBetween(body.validFrom, body.validTo);
  if (span < 0) throw new AppError('VALIDATION', { message: `La fin de validité (${frenchDay(body.validTo)}) précède son début (${frenchDay(body.validFrom)}).` });
  if (span > 400) throw new AppError('VALIDATION', { message: 'Un cours vaut au plus pour une année scolaire : réduisez ses dates de validité.' });
  const klass = await store.findClass(deps.db, body.classId);
  if (!klass) throw notFound('Classe');
  authorize(actor, 'timetable.lesson.manage', { schoolId: klass.schoolId });
  const [subjectKnown, teacherOfSchool] = await Promise.all([
    store.subjectExists(deps.db, body.subjectCode),
    store.isTeacherOfSchool(deps.db, body.teacherId, klass.schoolId),
  ]);
  if (!subjectKnown) throw new AppError('VALIDATION', { message: `Matière inconnue : « ${body.subjectCode} ».` });
  if (!teacherOfSchool) throw new AppError('NOT_FOUND', { message: 'Enseignant introuvable dans cet établissement.' });
  const values: store.LessonValues = {
    schoolId: klass.schoolId,
    classId: klass.id,
    subjectCode: body.subjectCode,
    teacherId: body.teacherId,
    room: body.room.trim(),
    weekday: body.weekday,
    startTime: body.start,
    endTime: body.end,
    validFrom: body.validFrom,
    validTo: body.validTo,
    weekParity: body.weekParity ?? null,
  };
  const [conflict] = await store.findConflicts(deps.db, values, lessonId);
  if (conflict) {
    const who = conflict.sameTeacher ? `${conflict.teacherName} a déjà cours` : `La classe ${conflict.className} a déjà cours`;
    throw new AppError('CONFLICT', {
      message: `${who} le ${WEEKDAYS[body.weekday - 1]} de ${hm(conflict.startTime)} à ${hm(conflict.endTime)} (${conflict.subjectLabel}, ${conflict.className}).`,
      details: { conflictingLessonId: conflict.id },
    });
  }
  return values;
}

/** A lesson as the form edits it. */
export async function getLesson(deps: TimetableDeps, actor: Actor, lessonId: string): Promise<TLesson> {
  const head = await store.findLessonHead(deps.db, lessonId);
  if (!head) throw notFound('Cours');
  authorize(actor, 'timetable.virtual.set', { schoolId: head.schoolId, teacherId: head.teacherId });
  const row = await store.findLessonRecord(deps.db, lessonId);
  return {
    id: row.id,
    classId: row.class_id,
    subjectCode: row.subject_code,
    teacherId: row.teacher_id,
    room: row.room,
    weekday: row.weekday,
    start: row.starts_at.slice(0, 5),
    end: row.ends_at.slice(0, 5),
    validFrom: row.valid_from,
    validTo: row.valid_to,
    weekParity: row.week_parity,
    virtual: row.virtual_kind ? { kind: row.virtual_kind, url: row.virtual_url } : null,
  };
}

/** Adds a weekly lesson to a class's timetable (principal, school admin). */
export async function createLesson(deps: TimetableDeps, actor: Actor, body: TLessonBody): Promise<TLesson> {
  const values = await checkLesson(deps, actor, body, null);
  const id = await store.insertLesson(deps.db, values);
  announceChange(deps, [values.classId]);
  return getLesson(deps, actor, id);
}

/** Changes a weekly lesson; occurrences already changed keep their exceptions when their date still holds. */
export async function updateLesson(deps: TimetableDeps, actor: Actor, lessonId: string, body: TLessonBody): Promise<TLesson> {
  const head = await store.findLessonHead(deps.db, lessonId);
  if (!head) throw notFound('Cours');
  authorize(actor, 'timetable.lesson.manage', { schoolId: head.schoolId });
  const values = await checkLesson(deps, actor, body, lessonId);
  await store.updateLesson(deps.db, lessonId, values);
  announceChange(deps, [head.classId, values.classId]);
  return getLesson(deps, actor, lessonId);
}

/** Removes a weekly lesson with its exceptions and presence records. */
export async function deleteLesson(deps: TimetableDeps, actor: Actor, lessonId: string): Promise<void> {
  const head = await store.findLessonHead(deps.db, lessonId);
  if (!head) throw notFound('Cours');
  authorize(actor, 'timetable.lesson.manage', { schoolId: head.schoolId });
  await store.deleteLesson(deps.db, lessonId);
  announceChange(deps, [head.classId]);
}

/** What to store for a virtual class asked as none / a plain link / a room of the configured provider. */
export function virtualOf(deps: TimetableDeps, body: { kind: string; url?: string | undefined }): { kind: 'url' | 'jitsi' | 'bbb'; url: string | null } | null {
  if (body.kind === 'url') return { kind: 'url', url: httpsUrl(body.url) };
  if (body.kind === 'room') return { kind: deps.video.preferred, url: null };
  return null;
}

/** Sets a lesson's virtual class, for all its occurrences (its teacher, or the direction). */
export async function setLessonVirtual(deps: TimetableDeps, actor: Actor, lessonId: string, body: TLessonVirtualBody): Promise<TLesson> {
  const head = await store.findLessonHead(deps.db, lessonId);
  if (!head) throw notFound('Cours');
  authorize(actor, 'timetable.virtual.set', { schoolId: head.schoolId, teacherId: head.teacherId });
  await store.setLessonVirtual(deps.db, lessonId, virtualOf(deps, body));
  announceChange(deps, [head.classId]);
  return getLesson(deps, actor, lessonId);
}
