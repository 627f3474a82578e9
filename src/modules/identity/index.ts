export { Auth } from './identity.http.ts';
export { identityRoutes, type IdentityRouteDeps } from './identity.routes.ts';
export { SessionTokens } from './session-tokens.ts';
export { Revocations } from './revocations.ts';
export { SessionDirectory } from './session-directory.ts';
export { hashPassword, verifyPassword } from './passwords.ts';
export { sweepSessions, type IdentityDeps } from './identity.service.ts';
export { LessonSoonIndex, PriorityLane, type PriorityLaneRule, type TeachingSlot } from './priority-lane.ts';
