/**
 * Authorization, in one place. Every action a person can take is a row of POLICY: a rule over
 * the actor (their roles and scope) and a target. The rules are grouped by module under
 * ./policies/, and composed here; services call `authorize(actor, action, target)` before they
 * touch data; routes never decide. policy.test.ts walks the whole matrix of roles × actions.
 * The platform operator runs the infrastructure and sees no pupil data.
 */
import { AppError } from '../../shared/errors.ts';
import type { Actor } from './actor.ts';
import { CORE_POLICY } from './policies/core.ts';
import { DOCUMENTS_POLICY } from './policies/documents.ts';
import { HOMEWORK_POLICY } from './policies/homework.ts';
import { MESSAGING_POLICY } from './policies/messaging.ts';
import { TIMETABLE_POLICY } from './policies/timetable.ts';

export type { Target } from './policies/core.ts';

export const POLICY = {
  ...CORE_POLICY,
  ...MESSAGING_POLICY,
  ...DOCUMENTS_POLICY,
  ...HOMEWORK_POLICY,
  ...TIMETABLE_POLICY,
};

type Policy = typeof POLICY;
export type Action = keyof Policy;
export const ACTIONS = Object.keys(POLICY) as Action[];
/** The target an action's rule looks at. */
export type TargetOf<A extends Action> = Parameters<Policy[A]>[1];
type TargetArgs<A extends Action> = object extends TargetOf<A> ? [target?: TargetOf<A>] : [target: TargetOf<A>];

export function can<A extends Action>(actor: Actor, action: A, ...[target]: TargetArgs<A>): boolean {
  const rule = POLICY[action] as (actor: Actor, target: TargetOf<A>) => boolean;
  return rule(actor, (target ?? {}));
}

/** Throws FORBIDDEN unless the actor may do `action` on `target`. */
export function authorize<A extends Action>(actor: Actor, action: A, ...args: TargetArgs<A>): void {
  if (!can(actor, action, ...args)) {
    throw new AppError('FORBIDDEN', { message: "Vous n'avez pas le droit d'effectuer cette action." });
  }
}
