/**
 * Step 3 of an import: writes a validated plan, inside the caller's transaction, a chunk of
 * people at a time with one statement per table per chunk. Only what differs from the database
 * is written, so importing the same file twice changes nothing the second time.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { randomCode } from '../../../platform/crypto.ts';
import type { DB } from '../../../platform/db/schema.ts';
import type { TNewAccount } from '../schools.schemas.ts';
import { activationExpiry, storeActivationCodes } from './activation-codes.ts';
import { PROFILE_LABELS, fold, type SchoolRole } from './import-format.ts';
import type { ExistingLinks, ImportContext } from './import-context.ts';
import { allocateLogins } from './logins.ts';
import type { ImportPlan, PlannedPerson } from './validate-rows.ts';

/**
 * People written per round of statements: about a twentieth of the file, so that progress moves
 * in steps of 5 %, between 50 (few round trips) and 500 (bounded statement size).
 */
export const chunkSize = (people: number): number => Math.min(500, Math.max(50, Math.ceil(people / 20)));

export interface ApplyOptions {
  schoolId: string;
  actorUserId: string | null;
  /** Dry run: write as usual (the caller rolls back) but issue no activation code. */
  dryRun: boolean;
  onProgress?: ((done: number, total: number) => void) | undefined;
}

export interface ApplyCounts {
  created: number;
  updated: number;
  unchanged: number;
  classesCreated: number;
  newAccounts: TNewAccount[];
}

/** Everything one chunk needs to resolve names and ids. */
interface State {
  tx: Kysely<DB>;
  options: ApplyOptions;
  ctx: ImportContext;
  links: ExistingLinks;
  /** Folded class or group name → id. */
  classIds: Map<string, string>;
  /** External id → user id, filled as new accounts are inserted. */
  userIds: Map<string, string>;
  logins: Map<string, string>;
  /** External ids of existing people this import changed. */
  touched: Set<string>;
}

/** Writes the plan; returns the counts and the new accounts (with their codes unless dry run). */
export async function applyPlan(
  tx: Kysely<DB>,
  plan: ImportPlan,
  ctx: ImportContext,
  links: ExistingLinks,
  options: ApplyOptions,
): Promise<ApplyCounts> {
  const classIds = await createClasses(tx, options.schoolId, plan, ctx);
  const fresh = plan.people.filter((p) => !ctx.people.has(p.externalId));
  const logins = await allocateLogins(tx, fresh);
  const state: State = {
    tx,
    options,
    ctx,
    links,
    classIds,
    userIds: new Map([...ctx.people].map(([externalId, p]) => [externalId, p.userId])),
    logins: new Map(fresh.map((p, i) => [p.externalId, logins[i] ?? ''])),
    touched: new Set(),
  };
  // Pupils first, so that a parent's children all have an id when the parent's links are written.
  const ordered = [...plan.people.filter(isPupil), ...plan.people.filter((p) => !isPupil(p))];
  const newAccounts: TNewAccount[] = [];
  let done = 0;
  options.onProgress?.(0, plan.rows);
  const size = chunkSize(ordered.length);
  for (let i = 0; i < ordered.length; i += size) {
    const chunk = ordered.slice(i, i + size);
    newAccounts.push(...(await writeChunk(state, chunk)));
    done += chunk.reduce((n, p) => n + p.rowCount, 0);
    options.onProgress?.(done, plan.rows);
  }
  const existing = plan.people.length - fresh.length;
  return {
    created: fresh.length,
    updated: state.touched.size,
    unchanged: existing - state.touched.size,
    classesCreated: plan.newClasses.length,
    newAccounts: sortByFileOrder(newAccounts, plan.people, state.logins),
  };
}

const isPupil = (p: PlannedPerson): boolean => p.roles.includes('pupil');

function sortByFileOrder(accounts: TNewAccount[], people: readonly PlannedPerson[], logins: ReadonlyMap<string, string>): TNewAccount[] {
  const rank = new Map(people.map((p, i) => [logins.get(p.externalId) ?? '', i]));
  return accounts.sort((a, b) => (rank.get(a.login) ?? 0) - (rank.get(b.login) ?? 0));
}

async function createClasses(tx: Kysely<DB>, schoolId: string, plan: ImportPlan, ctx: ImportContext): Promise<Map<string, string>> {
  const ids = new Map([...ctx.classes].map(([key, c]) => [key, c.id]));
  if (plan.newClasses.length === 0) return ids;
  const rows = await tx
    .insertInto('classes')
    .values(plan.newClasses.map((c) => ({ school_id: schoolId, name: c.name, kind: c.kind, level: c.level })))
    .returning(['id', 'name'])
    .execute();
  for (const r of rows) ids.set(fold(r.name), r.id);
  return ids;
}

async function writeChunk(state: State, chunk: readonly PlannedPerson[]): Promise<TNewAccount[]> {
  const newAccounts = await insertNewPeople(state, chunk);
  await updateChangedPeople(state, chunk);
  await insertMissingRoles(state, chunk);
  await writeMemberships(state, chunk);
  await insertMissingLinks(state, chunk);
  await insertMissingTeaching(state, chunk);
  if (!state.options.dryRun && newAccounts.length > 0) {
    await storeActivationCodes(state.tx, newAccounts.map((a) => ({ userId: a.userId, code: a.activationCode })), {
      actorUserId: state.options.actorUserId,
      expiresAt: activationExpiry(),
    });
  }
  return newAccounts;
}

async function insertNewPeople(state: State, chunk: readonly PlannedPerson[]): Promise<TNewAccount[]> {
  const fresh = chunk.filter((p) => !state.ctx.people.has(p.externalId));
  if (fresh.length === 0) return [];
  const inserted = await state.tx
    .insertInto('users')
    .values(
      fresh.map((p) => ({
        login: state.logins.get(p.externalId) ?? '',
        first_name: p.firstName,
        last_name: p.lastName,
        email: p.email,
        birth_date: p.birthDate,
      })),
    )
    .returning(['id', 'login'])
    .execute();
  const idByLogin = new Map(inserted.map((r) => [r.login, r.id]));
  for (const p of fresh) state.userIds.set(p.externalId, idByLogin.get(state.logins.get(p.externalId) ?? '') ?? '');
  await state.tx
    .insertInto('school_people')
    .values(fresh.map((p) => ({ school_id: state.options.schoolId, external_id: p.externalId, user_id: idOf(state, p.externalId) })))
    .execute();
  return fresh.map((p) => ({
    userId: state.options.dryRun ? '' : idOf(state, p.externalId),
    login: state.logins.get(p.externalId) ?? '',
    firstName: p.firstName,
    lastName: p.lastName,
    profile: p.roles.map((r) => PROFILE_LABELS[r]).join(', '),
    className: p.className,
    activationCode: state.options.dryRun ? '' : randomCode(),
  }));
}

function idOf(state: State, externalId: string): string {
  const id = state.userIds.get(externalId);
  if (!id) throw new Error(`import: no user id for ${externalId}`);
  return id;
}

/** Existing people whose names, email or birth date differ; an empty cell keeps the old value. */
async function updateChangedPeople(state: State, chunk: readonly PlannedPerson[]): Promise<void> {
  const changes: RawBuilder<unknown>[] = [];
  for (const p of chunk) {
    const old = state.ctx.people.get(p.externalId);
    if (!old) continue;
    const next = { firstName: p.firstName, lastName: p.lastName, email: p.email ?? old.email, birthDate: p.birthDate ?? old.birthDate };
    const same = next.firstName === old.firstName && next.lastName === old.lastName && next.email === old.email && next.birthDate === old.birthDate;
    if (same) continue;
    changes.push(sql`(${old.userId}::uuid, ${next.firstName}::text, ${next.lastName}::text, ${next.email}::text, ${next.birthDate}::date)`);
    state.touched.add(p.externalId);
  }
  if (changes.length === 0) return;
  await sql`
    UPDATE users AS u
    SET first_name = v.first_name, last_name = v.last_name, email = v.email, birth_date = v.birth_date, updated_at = now()
    FROM (VALUES ${sql.join(changes)}) AS v(id, first_name, last_name, email, birth_date)
    WHERE u.id = v.id`.execute(state.tx);
}

async function insertMissingRoles(state: State, chunk: readonly PlannedPerson[]): Promise<void> {
  const rows: { user_id: string; role: SchoolRole; school_id: string }[] = [];
  for (const p of chunk) {
    const held = state.ctx.people.get(p.externalId)?.roles;
    for (const role of new Set(p.roles)) {
      if (held?.has(role)) continue;
      rows.push({ user_id: idOf(state, p.externalId), role, school_id: state.options.schoolId });
      if (held) state.touched.add(p.externalId);
    }
  }
  if (rows.length > 0) await state.tx.insertInto('role_assignments').values(rows).execute();
}

function classId(state: State, name: string): string {
  const id = state.classIds.get(fold(name));
  if (!id) throw new Error(`import: no class id for ${name}`);
  return id;
}

/** A pupil's class replaces their previous one; groups are only ever added. */
async function writeMemberships(state: State, chunk: readonly PlannedPerson[]): Promise<void> {
  const stale: [string, string][] = [];
  const rows: { pupil_id: string; class_id: string }[] = [];
  for (const p of chunk) {
    if (!p.className) continue;
    const pupilId = idOf(state, p.externalId);
    const target = classId(state, p.className);
    for (const old of state.links.pupilClasses.get(pupilId) ?? []) if (old !== target) stale.push([pupilId, old]);
    for (const id of new Set([target, ...p.groups.map((g) => classId(state, g))])) {
      if (!state.links.members.has(`${pupilId}|${id}`)) rows.push({ pupil_id: pupilId, class_id: id });
    }
  }
  markTouched(state, chunk, [...stale.map(([pupil]) => pupil), ...rows.map((r) => r.pupil_id)]);
  if (stale.length > 0) {
    await state.tx
      .deleteFrom('class_members')
      .where((eb) => eb(eb.refTuple('pupil_id', 'class_id'), 'in', stale.map(([p, c]) => eb.tuple(p, c))))
      .execute();
  }
  if (rows.length > 0) await state.tx.insertInto('class_members').values(rows).execute();
}

async function insertMissingLinks(state: State, chunk: readonly PlannedPerson[]): Promise<void> {
  const rows = new Map<string, { parent_id: string; child_id: string }>();
  for (const p of chunk) {
    if (p.children.length === 0) continue;
    const parentId = idOf(state, p.externalId);
    for (const child of p.children) {
      const key = `${parentId}|${idOf(state, child)}`;
      if (!state.links.parentLinks.has(key)) rows.set(key, { parent_id: parentId, child_id: idOf(state, child) });
    }
  }
  markTouched(state, chunk, [...rows.values()].map((r) => r.parent_id));
  if (rows.size > 0) await state.tx.insertInto('parent_links').values([...rows.values()]).execute();
}

async function insertMissingTeaching(state: State, chunk: readonly PlannedPerson[]): Promise<void> {
  const rows = new Map<string, { teacher_id: string; class_id: string; subject_code: string }>();
  for (const p of chunk) {
    for (const t of p.teaching) {
      const row = { teacher_id: idOf(state, p.externalId), class_id: classId(state, t.className), subject_code: t.subjectCode };
      const key = `${row.teacher_id}|${row.class_id}|${row.subject_code}`;
      if (!state.links.teaching.has(key)) rows.set(key, row);
    }
  }
  markTouched(state, chunk, [...rows.values()].map((r) => r.teacher_id));
  if (rows.size > 0) await state.tx.insertInto('teaching_assignments').values([...rows.values()]).execute();
}

/** Counts existing people among `userIds` as updated (new accounts are counted as created). */
function markTouched(state: State, chunk: readonly PlannedPerson[], userIds: readonly string[]): void {
  if (userIds.length === 0) return;
  const ids = new Set(userIds);
  for (const p of chunk) {
    const old = state.ctx.people.get(p.externalId);
    if (old && ids.has(old.userId)) state.touched.add(p.externalId);
  }
}
