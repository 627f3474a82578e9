/**
 * What the homework use cases share: their dependencies, the rules on dates, texts and files,
 * and the mapping from rows to the HTTP contract. The use cases themselves are in
 * cahier.service.ts (lessons and homework items) and submissions.service.ts (hand-ins).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { DomainEvent, EventPublisher } from '../../platform/events.ts';
import { AppError } from '../../shared/errors.ts';
import type { Clock } from '../../shared/time.ts';
import { can, type Actor } from '../access/index.ts';
import { findOwnedFiles } from '../documents/index.ts';
import { addDays, daysBetween, isDueInPast, schoolToday } from './homework.dates.ts';
import type { THomework, TLesson, TSubmission } from './homework.schemas.ts';
import type { HomeworkRow, LessonRow } from './homework.store.ts';
import type { SubmissionRow } from './submissions.store.ts';

export interface HomeworkDeps {
  db: Kysely<DB>;
  clock: Clock;
  /** Told after a write commits: pupils', parents' and teachers' open pages update (live updates). */
  events?: EventPublisher;
}

/** Says what changed, once the write has committed; never fails the write. */
export function announce(deps: HomeworkDeps, event: DomainEvent): void {
  void deps.events?.publish(event);
}

export const invalid = (message: string, details?: unknown): AppError =>
  new AppError('VALIDATION', { message, ...(details === undefined ? {} : { details }) });
export const conflict = (message: string): AppError => new AppError('CONFLICT', { message });

/** Trimmed text, or VALIDATION with `message` when nothing is left. */
export function requireText(value: string, message: string): string {
  const text = value.trim();
  if (text === '') throw invalid(message);
  return text;
}

/** A date range from a query, with defaults around today and a maximum span. */
export function resolveRange(
  deps: HomeworkDeps,
  query: { from?: string | undefined; to?: string | undefined },
  defaults: { before: number; after: number; maxDays: number },
): { from: string; to: string } {
  const today = schoolToday(deps.clock.now());
  const from = query.from ?? (query.to ? addDays(query.to, -(defaults.before + defaults.after)) : addDays(today, -defaults.before));
  const to = query.to ?? addDays(from, defaults.before + defaults.after);
  const span = daysBetween(from, to);
  if (span < 0) throw invalid('La date de début doit précéder la date de fin.', { fields: [{ path: 'from', message: 'après la date de fin' }] });
  if (span > defaults.maxDays) throw invalid(`La période demandée est trop longue : ${defaults.maxDays} jours au plus.`);
  return { from, to };
}

const YEAR_DAYS = 366;

/** A lesson entry may be dated in the past (what was done) or ahead (the plan), within a year. */
export function checkLessonDate(deps: HomeworkDeps, date: string): void {
  const offset = daysBetween(schoolToday(deps.clock.now()), date);
  if (Math.abs(offset) > YEAR_DAYS) throw invalid('La date de la séance doit se situer à moins d’un an d’aujourd’hui.', { fields: [{ path: 'date', message: 'trop éloignée' }] });
}

/** A due date is today (with a time still ahead) or later, and within a year. */
export function checkDueDate(deps: HomeworkDeps, dueDate: string, dueTime: string | null): void {
  const now = deps.clock.now();
  if (isDueInPast(dueDate, dueTime, now)) {
    const today = schoolToday(now);
    throw invalid(
      dueDate === today
        ? 'L’heure de remise est déjà passée : choisissez une heure à venir ou une autre date.'
        : 'La date de remise est déjà passée : choisissez aujourd’hui ou une date à venir.',
      { fields: [{ path: dueDate === today ? 'dueTime' : 'dueDate', message: 'dans le passé' }] },
    );
  }
  if (daysBetween(schoolToday(now), dueDate) > YEAR_DAYS) {
    throw invalid('La date de remise est à plus d’un an : vérifiez l’année.', { fields: [{ path: 'dueDate', message: 'trop lointaine' }] });
  }
}

/** Marks are out of 20 with at most one decimal (14,5), or none. */
export function checkMark(mark: number | null): void {
  if (mark === null) return;
  if (Math.abs(mark * 10 - Math.round(mark * 10)) > 1e-9) {
    throw invalid('La note est sur 20 avec au plus une décimale (par exemple 14,5).', { fields: [{ path: 'mark', message: 'une décimale au plus' }] });
  }
}

/**
 * Files someone attaches must be theirs (uploaded through POST /api/files): an id that is
 * unknown or someone else's is refused as not found, without saying which.
 */
export async function checkOwnFiles(deps: HomeworkDeps, actor: Actor, fileIds: readonly string[]): Promise<void> {
  if (fileIds.length === 0) return;
  const owned = await findOwnedFiles(deps.db, actor.userId, fileIds);
  if (owned.length !== new Set(fileIds).size) {
    throw new AppError('NOT_FOUND', {
      message: 'Fichier joint introuvable parmi vos fichiers : envoyez-le à nouveau puis réessayez.',
      details: { fileIds: fileIds.filter((id) => !owned.some((f) => f.id === id)) },
    });
  }
}

const iso = (value: Date | string): string => new Date(value).toISOString();
const isoOrNull = (value: Date | string | null): string | null => (value === null ? null : iso(value));

/** Hand-in counts are for the assignment's teacher and the school's direction and CPE. */
export function toHomework(actor: Actor, row: HomeworkRow): THomework {
  const showCounts = can(actor, 'homework.submissions.list', { authorId: row.teacherId, schoolId: row.schoolId });
  return {
    id: row.id,
    class: row.class,
    subject: row.subject,
    instructions: row.instructions,
    dueDate: row.dueDate,
    dueTime: row.dueTime,
    dueAt: iso(row.dueAt),
    requiresSubmission: row.requiresSubmission,
    closedAt: isoOrNull(row.closedAt),
    teacher: row.teacher,
    attachments: row.attachments,
    createdAt: iso(row.createdAt),
    counts: showCounts ? row.counts : null,
  };
}

export function toLesson(row: LessonRow): TLesson {
  return { ...row, createdAt: iso(row.createdAt), updatedAt: iso(row.updatedAt) };
}

export function toSubmission(row: SubmissionRow): TSubmission {
  return {
    ...row,
    mark: row.mark === null ? null : Number(row.mark),
    submittedAt: iso(row.submittedAt),
    reviewedAt: isoOrNull(row.reviewedAt),
  };
}
