/**
 * From what a writer chose (people, groups) to who receives the message, under the school's
 * rules. Strictly when writing a new message (anyone refused → 403 naming them), leniently when
 * replying (those the writer may not reach are left out; the author answered is always kept).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { AppError } from '../../shared/errors.ts';
import { can, type Actor } from '../access/index.ts';
import type { TAudience, TGroup, TGroupRef, TPersonRef } from './messaging.schemas.ts';
import { describeGroup, type ClassRef, type Rules } from './messaging.rules.ts';
import { asPolicyRecipient, findRecipients, type Expansion } from './recipients.store.ts';

export interface Addressing {
  schoolId: string;
  rules: Rules;
  classes: readonly ClassRef[];
}

export interface Wanted {
  people: readonly string[];
  groups: readonly TGroupRef[];
}

export interface Resolved {
  audience: TAudience;
  expansion: Expansion;
}

type Mode = { strict: true } | { strict: false; alwaysKeep: string | null };

const fail = (code: 'VALIDATION' | 'NOT_FOUND' | 'FORBIDDEN', message: string): never => {
  throw new AppError(code, { message });
};

function resolveGroups(actor: Actor, at: Addressing, refs: readonly TGroupRef[], mode: Mode, refused: string[]) {
  const groups: TGroup[] = [];
  const expansion: Expansion = { schoolId: at.schoolId, peopleIds: [], pupilsOf: [], parentsOf: [], teachersOf: [], staff: false };
  const seen = new Set<string>();
  for (const ref of refs) {
    const classId = ref.kind === 'school_staff' ? undefined : ref.classId;
    if (ref.kind !== 'school_staff' && classId === undefined) {
      if (mode.strict) fail('VALIDATION', `Indiquez la classe du groupe (${ref.kind}).`);
      continue;
    }
    const key = `${ref.kind}:${classId ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const klass = classId === undefined ? null : (at.classes.find((c) => c.id === classId) ?? null);
    if (classId !== undefined && !klass) {
      if (mode.strict) fail('NOT_FOUND', "Classe introuvable dans cet établissement : choisissez le groupe dans la liste proposée.");
      continue;
    }
    const group = describeGroup(ref.kind, klass);
    if (!can(actor, 'messaging.group.write', { schoolId: at.schoolId, rules: at.rules, group: { kind: ref.kind, ...(classId ? { classId } : {}) } })) {
      refused.push(`« ${group.label} »`);
      continue;
    }
    groups.push(group);
    if (ref.kind === 'school_staff') expansion.staff = true;
    if (ref.kind === 'class_pupils' || ref.kind === 'class_pupils_parents') expansion.pupilsOf.push(klass!.id);
    if (ref.kind === 'class_parents' || ref.kind === 'class_pupils_parents') expansion.parentsOf.push(klass!.id);
    if (ref.kind === 'class_teachers') expansion.teachersOf.push(klass!.id);
  }
  return { groups, expansion };
}

async function resolvePeople(db: Kysely<DB>, actor: Actor, at: Addressing, ids: readonly string[], mode: Mode, refused: string[]): Promise<TPersonRef[]> {
  const wanted = [...new Set(ids)].filter((id) => id !== actor.userId);
  const rows = await findRecipients(db, at.schoolId, wanted);
  if (mode.strict && rows.length < wanted.length) {
    fail('NOT_FOUND', "Destinataire introuvable : cette personne n'existe pas ou n'appartient pas à cet établissement.");
  }
  const byId = new Map(rows.map((r) => [r.id, r]));
  const people: TPersonRef[] = [];
  for (const id of wanted) {
    const row = byId.get(id);
    if (!row) continue;
    const kept =
      (!mode.strict && mode.alwaysKeep === id) ||
      can(actor, 'messaging.person.write', { schoolId: at.schoolId, rules: at.rules, recipient: asPolicyRecipient(row) });
    if (kept) people.push({ id: row.id, firstName: row.firstName, lastName: row.lastName });
    else refused.push(`${row.firstName} ${row.lastName}`);
  }
  return people;
}

/** Who the message goes to; throws VALIDATION, NOT_FOUND or FORBIDDEN (strict mode) with a French message. */
export async function resolveAudience(db: Kysely<DB>, actor: Actor, at: Addressing, wanted: Wanted, mode: Mode): Promise<Resolved> {
  const refused: string[] = [];
  const { groups, expansion } = resolveGroups(actor, at, wanted.groups, mode, refused);
  const people = await resolvePeople(db, actor, at, wanted.people, mode, refused);
  if (mode.strict && refused.length > 0) {
    fail('FORBIDDEN', `Selon les règles de votre établissement, vous ne pouvez pas écrire à : ${refused.join(', ')}. Retirez ${refused.length > 1 ? 'ces destinataires' : 'ce destinataire'} pour envoyer le message.`);
  }
  if (groups.length === 0 && people.length === 0) {
    fail('VALIDATION', mode.strict ? 'Choisissez au moins un destinataire.' : 'Plus personne dans cette conversation ne peut recevoir votre réponse.');
  }
  expansion.peopleIds = people.map((p) => p.id);
  return { audience: { groups, people }, expansion };
}
