export type { Actor } from './actor.ts';
export { hasRole } from './actor.ts';
export { authorize, can, ACTIONS, POLICY, type Action, type Target } from './policy.ts';
export { ActorLoader } from './actor-loader.ts';
