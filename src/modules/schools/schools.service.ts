/** School administration: importing people, listing them, re-issuing activation codes. */
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { EventPublisher } from '../../platform/events.ts';
import { notFound } from '../../shared/errors.ts';
import { authorize, type Actor } from '../access/index.ts';
import { issueActivationCode } from './import/activation-codes.ts';
import { importPeople } from './import/import-people.ts';
import type { TActivationCode, TImportResult, TPeoplePage, TPeopleQuery } from './schools.schemas.ts';
import * as store from './schools.store.ts';

export interface SchoolsDeps {
  db: Kysely<DB>;
  /** Told when an import changed people (every node forgets its cached actors, rosters, dashboards). */
  events?: EventPublisher;
}

async function requireSchool(deps: SchoolsDeps, schoolId: string) {
  const school = await store.findSchool(deps.db, schoolId);
  if (!school) throw notFound('Établissement');
  return school;
}

/** Imports a CSV of people into a school, all or nothing. */
export async function importSchoolPeople(
  deps: SchoolsDeps,
  actor: Actor,
  input: { schoolId: string; csv: string; dryRun: boolean },
): Promise<TImportResult> {
  authorize(actor, 'school.import', { schoolId: input.schoolId });
  await requireSchool(deps, input.schoolId);
  const result = await importPeople(deps.db, { schoolId: input.schoolId, csv: input.csv, dryRun: input.dryRun, actorUserId: actor.userId });
  if (!result.dryRun && result.created + result.updated > 0) await deps.events?.publish({ type: 'roster.changed', schoolId: input.schoolId });
  return result;
}

export async function listPeople(deps: SchoolsDeps, actor: Actor, schoolId: string, query: TPeopleQuery): Promise<TPeoplePage> {
  authorize(actor, 'school.people.list', { schoolId });
  await requireSchool(deps, schoolId);
  const rows = await store.findPeople(deps.db, schoolId, {
    ...(query.role ? { role: query.role } : {}),
    ...(query.q?.trim() ? { q: query.q.trim() } : {}),
    limit: query.limit ?? 50,
    offset: query.offset ?? 0,
  });
  return { total: rows[0]?.total ?? 0, people: rows.map(({ total: _total, ...person }) => person) };
}

/** Replaces a person's activation code; the new code is shown once. */
export async function reissueActivationCode(deps: SchoolsDeps, actor: Actor, schoolId: string, userId: string): Promise<TActivationCode> {
  authorize(actor, 'school.activation-code.issue', { schoolId });
  const person = await store.findPersonInSchool(deps.db, schoolId, userId);
  if (!person) throw notFound('Personne');
  const { code, expiresAt } = await issueActivationCode(deps.db, { userId, actorUserId: actor.userId });
  return { userId, login: person.login, activationCode: code, expiresAt: expiresAt.toISOString() };
}
