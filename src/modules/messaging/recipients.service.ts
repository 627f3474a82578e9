/** The recipient picker and the school's rules: whom a person may write to, and who decides. */
import { AppError } from '../../shared/errors.ts';
import { authorize, type Actor } from '../access/index.ts';
import type { TRecipientOptions, TRecipientQuery, TRule, TRulesBody, TRulesView } from './messaging.schemas.ts';
import { allowedGroups, DEFAULT_RULES, effectiveRules, fold, MESSAGING_ROLES, reachOf } from './messaging.rules.ts';
import * as store from './messaging.store.ts';
import { findReachablePeople, findSchoolContext } from './recipients.store.ts';
import { defaultSchoolOf, type MessagingDeps } from './send.service.ts';

const DEFAULT_PEOPLE = 20;

/**
 * What the person may choose as recipients in a school, matching `q`: the groups they may write
 * to and the people they may reach under the school's rules. Two queries.
 */
export async function listRecipientOptions(deps: MessagingDeps, actor: Actor, query: TRecipientQuery): Promise<TRecipientOptions> {
  const schoolId = query.schoolId ?? defaultSchoolOf(actor);
  if (!schoolId) throw new AppError('FORBIDDEN', { message: "Vous n'appartenez à aucun établissement : la messagerie ne vous est pas ouverte." });
  authorize(actor, 'messaging.use', { schoolId });
  const context = await findSchoolContext(deps.db, schoolId, [...actor.schoolIds]);
  if (!context.school) throw new AppError('NOT_FOUND', { message: 'Établissement introuvable.' });
  const rules = effectiveRules(context.rules);
  const q = query.q?.trim() ?? '';
  const limit = query.limit ?? DEFAULT_PEOPLE;
  const words = fold(q);
  const groups = allowedGroups(actor, schoolId, rules, context.classes).filter((g) => fold(g.label).includes(words));
  const people = await findReachablePeople(deps.db, { schoolId, writerId: actor.userId, reach: reachOf(actor, schoolId, rules), q, limit });
  return { school: context.school, schools: context.schools, groups, people: people.slice(0, limit), more: people.length > limit };
}

function rulesView(schoolId: string, overrides: readonly TRule[]): TRulesView {
  const rules = effectiveRules(overrides);
  const stored = new Set(overrides.map((r) => `${r.from}:${r.to}`));
  return {
    schoolId,
    rules: MESSAGING_ROLES.flatMap((from) =>
      MESSAGING_ROLES.map((to) => ({ from, to, reach: rules[from][to], isDefault: !stored.has(`${from}:${to}`) })),
    ),
  };
}

/** Who may write to whom in a school, defaults included (the school admin's page). */
export async function getRules(deps: MessagingDeps, actor: Actor, schoolId: string): Promise<TRulesView> {
  authorize(actor, 'messaging.rules.manage', { schoolId });
  return rulesView(schoolId, await store.findRuleOverrides(deps.db, schoolId));
}

/**
 * Changes some of a school's rules. A rule set back to its default value stops being an
 * override. Staff have no classes: « linked » to or from staff is refused (400).
 */
export async function setRules(deps: MessagingDeps, actor: Actor, schoolId: string, input: TRulesBody): Promise<TRulesView> {
  authorize(actor, 'messaging.rules.manage', { schoolId });
  const bad = input.rules.find((r) => r.reach === 'linked' && (r.from === 'staff' || r.to === 'staff'));
  if (bad) {
    throw new AppError('VALIDATION', {
      message: "La direction et la vie scolaire n'ont pas de classes : entre elles et les autres, choisissez « personne » ou « tout l'établissement ».",
      details: { fields: [{ path: 'rules', message: `${bad.from} → ${bad.to}` }] },
    });
  }
  const last = new Map(input.rules.map((r) => [`${r.from}:${r.to}`, r]));
  const changes = [...last.values()];
  const keep = changes.filter((r) => DEFAULT_RULES[r.from][r.to] !== r.reach);
  const reset = changes.filter((r) => DEFAULT_RULES[r.from][r.to] === r.reach);
  await store.saveRuleOverrides(deps.db, schoolId, actor.userId, keep, reset);
  return rulesView(schoolId, await store.findRuleOverrides(deps.db, schoolId));
}
