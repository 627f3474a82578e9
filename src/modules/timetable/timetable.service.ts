/**
 * Reading timetables: a person's own, a class's, a child's or a teacher's, for a range of dates,
 * and what the page needs to offer (scopes, the lesson form's lists). Shared by the other use
 * cases: loading one occurrence and turning it into its HTTP view with what the actor may do.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import type { Signer } from '../../platform/crypto.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { EventPublisher } from '../../platform/events.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import type { Clock } from '../../shared/time.ts';
import { authorize, can, hasRole, type Actor } from '../access/index.ts';
import { findHomeworkDue } from '../homework/index.ts';
import type { FindHomeworkDue } from './calendar-feed.service.ts';
import { findContextRow } from './context.store.ts';
import { buildOccurrence, expandOccurrences, isScheduledOn, parseOccurrenceId, type Occurrence } from './occurrences.ts';
import type { TOccurrence, TTimetable, TTimetableContext, TTimetableQuery } from './timetable.schemas.ts';
import * as store from './timetable.store.ts';
import { createVideoProviders, type VideoProviders } from './video/video-provider.ts';
import { daysBetween, parseDate, todayIn } from './zoned-time.ts';

export interface TimetableDeps {
  db: Kysely<DB>;
  clock: Clock;
  video: VideoProviders;
  /** HMAC key of the calendar feed tokens. */
  feedKey: Buffer;
  /** Homework due dates for the calendar feed (the homework module's), when it is there. */
  homeworkDue?: FindHomeworkDue;
  /** Told after a lesson or an occurrence changes: the classes' open pages update (live updates). */
  events?: EventPublisher;
}

/** Says that these classes' timetables changed, once the write has committed; never fails the write. */
export function announceChange(deps: TimetableDeps, classIds: readonly string[]): void {
  void deps.events?.publish({ type: 'timetable.changed', classIds: [...new Set(classIds)] });
}

/** Builds the module's dependencies once, at boot, from the app's; the calendar feed takes homework due dates from the homework module. */
export function createTimetableDeps(app: {
  db: Kysely<DB>;
  clock: Clock;
  config: Config;
  signer: Signer;
  homeworkDue?: FindHomeworkDue;
  events?: EventPublisher;
}): TimetableDeps {
  return {
    db: app.db,
    clock: app.clock,
    video: createVideoProviders(app.config.video, app.signer.derive('timetable-video-rooms').keyMaterial()),
    feedKey: app.signer.derive('timetable-calendar-feed').keyMaterial(),
    homeworkDue: app.homeworkDue ?? findHomeworkDue,
    ...(app.events ? { events: app.events } : {}),
  };
}

export type LessonOccurrence = Occurrence<store.LessonRow>;

/** Longest range one request may ask for (six weeks). */
const MAX_RANGE_DAYS = 42;

/** The school year around `today`: 1 September to early July. */
export function schoolYearOf(today: string): { from: string; to: string } {
  const { year, month } = parseDate(today);
  const start = month >= 8 ? year : year - 1;
  return { from: `${start}-09-01`, to: `${start + 1}-07-04` };
}

export const targetOf = (o: LessonOccurrence) => ({
  schoolId: o.lesson.schoolId,
  classId: o.lesson.classId,
  teacherId: o.lesson.teacherId,
  substituteId: o.exception?.substituteId ?? null,
});

/** The HTTP view of an occurrence, with what this actor may do with it. */
export function toOccurrenceView(o: LessonOccurrence, actor: Actor): TOccurrence {
  const target = targetOf(o);
  const setVirtual = can(actor, 'timetable.virtual.set', target);
  const iso = (ms: number) => new Date(ms).toISOString();
  const substitute = o.exception?.substituteId ? { id: o.exception.substituteId, name: o.exception.substituteName ?? '' } : null;
  return {
    occurrenceId: o.id,
    lessonId: o.lesson.id,
    date: o.date,
    day: o.day,
    classId: o.lesson.classId,
    className: o.lesson.className,
    subjectCode: o.lesson.subjectCode,
    subject: o.lesson.subjectLabel,
    teacher: { id: o.lesson.teacherId, name: o.lesson.teacherName },
    substitute,
    room: o.room,
    start: iso(o.start),
    end: iso(o.end),
    status: o.status,
    cancelReason: o.status === 'cancelled' ? (o.exception?.cancelReason ?? null) : null,
    planned: o.planned ? { start: iso(o.planned.start), end: iso(o.planned.end), room: o.planned.room } : null,
    weekParity: o.lesson.weekParity,
    virtual: o.virtual ? { kind: o.virtual.kind, scope: o.virtual.scope, url: setVirtual ? o.virtual.url : null } : null,
    joinOpensAt: iso(o.joinOpensAt),
    can: {
      join: o.virtual !== null && o.status !== 'cancelled' && can(actor, 'timetable.join', target),
      change: can(actor, 'timetable.occurrence.change', target),
      setVirtual,
      seePresence: o.virtual !== null && can(actor, 'timetable.presence.read', target),
      manage: can(actor, 'timetable.lesson.manage', { schoolId: o.lesson.schoolId }),
    },
  };
}

/** One occurrence by its id (`<lessonId>_<date>`), exceptions applied; NOT_FOUND when the lesson has none that day. */
export async function loadOccurrence(deps: TimetableDeps, occurrenceId: string): Promise<LessonOccurrence> {
  const { lessonId, date } = parseOccurrenceId(occurrenceId);
  parseDate(date);
  const [lesson] = await store.findLessonRows(deps.db, { lessonIds: [lessonId] }, date, date);
  if (!lesson || !isScheduledOn(lesson, date)) throw notFound('Cours');
  return buildOccurrence(lesson, date, lesson.exceptions.find((e) => e.occursOn === date) ?? null);
}

/** Keeps the occurrences that belong to the scope (a substitute sees only the occurrences they take). */
export function inScope(o: LessonOccurrence, classIds: ReadonlySet<string>, teacherIds: ReadonlySet<string>): boolean {
  return (
    classIds.has(o.lesson.classId) ||
    teacherIds.has(o.lesson.teacherId) ||
    (o.exception?.substituteId != null && teacherIds.has(o.exception.substituteId))
  );
}

async function resolveScope(deps: TimetableDeps, actor: Actor, q: TTimetableQuery): Promise<{ classIds: string[]; teacherIds: string[] }> {
  if ([q.classId, q.pupilId, q.teacherId].filter(Boolean).length > 1) {
    throw new AppError('VALIDATION', { message: 'Choisissez une seule vue : une classe, un élève ou un enseignant.' });
  }
  if (q.classId) {
    const klass = await store.findClass(deps.db, q.classId);
    if (!klass) throw notFound('Classe');
    authorize(actor, 'timetable.class.read', { classId: klass.id, schoolId: klass.schoolId });
    return { classIds: [klass.id], teacherIds: [] };
  }
  if (q.pupilId) {
    const pupil = await store.findPupilClasses(deps.db, q.pupilId);
    if (!pupil.schoolId) throw notFound('Élève');
    authorize(actor, 'pupil.read', { pupilId: q.pupilId, schoolId: pupil.schoolId, pupilClassIds: pupil.classIds });
    return { classIds: pupil.classIds, teacherIds: [] };
  }
  if (q.teacherId && q.teacherId !== actor.userId) {
    const schools = [...actor.staffSchoolIds, ...actor.adminSchoolIds];
    const teaches = await Promise.all(schools.map((schoolId) => store.isTeacherOfSchool(deps.db, q.teacherId!, schoolId)));
    const schoolId = schools.find((_, i) => teaches[i]);
    if (!schoolId) throw notFound('Enseignant');
    authorize(actor, 'timetable.teacher.read', { userId: q.teacherId, schoolId });
    return { classIds: [], teacherIds: [q.teacherId] };
  }
  return { classIds: [...actor.enrolledClassIds], teacherIds: hasRole(actor, 'teacher') ? [actor.userId] : [] };
}

/** The occurrences of a range: the person's own (no scope given), a class's, a pupil's or a teacher's. */
export async function getTimetable(deps: TimetableDeps, actor: Actor, q: TTimetableQuery): Promise<TTimetable> {
  parseDate(q.from);
  parseDate(q.to);
  const days = daysBetween(q.from, q.to);
  if (days < 0) throw new AppError('VALIDATION', { message: 'La date de fin doit être après la date de début.' });
  if (days >= MAX_RANGE_DAYS) throw new AppError('VALIDATION', { message: `Demandez au plus ${MAX_RANGE_DAYS} jours à la fois.` });
  const scope = await resolveScope(deps, actor, q);
  const rows = await store.findLessonRows(deps.db, scope, q.from, q.to);
  const classIds = new Set(scope.classIds);
  const teacherIds = new Set(scope.teacherIds);
  const occurrences = expandOccurrences(rows, q.from, q.to).filter((o) => inScope(o, classIds, teacherIds));
  return {
    from: q.from,
    to: q.to,
    serverNow: new Date(deps.clock.now()).toISOString(),
    occurrences: occurrences.map((o) => toOccurrenceView(o, actor)),
  };
}

/** What the timetable page offers this person: the views they may open, and the lesson form's lists. */
export async function getTimetableContext(deps: TimetableDeps, actor: Actor, videoProvider = deps.video.preferred): Promise<TTimetableContext> {
  authorize(actor, 'self.read');
  const now = deps.clock.now();
  const today = todayIn(now);
  const staffSchools = [...new Set([...actor.staffSchoolIds, ...actor.adminSchoolIds])];
  const manageSchools = staffSchools.filter((schoolId) => can(actor, 'timetable.lesson.manage', { schoolId }));
  const row = await findContextRow(deps.db, actor.userId, staffSchools, manageSchools);
  const scopes: TTimetableContext['scopes'] = [];
  if (hasRole(actor, 'pupil') || hasRole(actor, 'teacher')) scopes.push({ kind: 'mine', id: null, label: '' });
  for (const child of row.children) scopes.push({ kind: 'pupil', id: child.id, label: child.className ? `${child.name} (${child.className})` : child.name });
  for (const klass of row.classes) scopes.push({ kind: 'class', id: klass.id, label: klass.name });
  const schoolYear = schoolYearOf(today);
  return {
    today,
    serverNow: new Date(now).toISOString(),
    videoProvider,
    scopes,
    manage: row.manage.map((m) => ({ ...m, schoolYear, subjects: row.subjects })),
  };
}
