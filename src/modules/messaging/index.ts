/** The messagerie's public API: its routes, the dashboard's functions, the demo. */
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { listRecentThreads } from './inbox.service.ts';
import type { TThreadSummary } from './messaging.schemas.ts';

export { messagingRoutes, type MessagingRouteDeps } from './messaging.routes.ts';
export type { MessagingDeps } from './send.service.ts';
export type { TThreadSummary } from './messaging.schemas.ts';
export { countUnread } from './messaging.store.ts';
export { seedMessagingDemo } from './demo/messaging-demo.ts';

/** The newest conversations of a person for the dashboard's card (inbox, newest first): one query. */
export function findRecentThreads(db: Kysely<DB>, userId: string, limit: number): Promise<TThreadSummary[]> {
  return listRecentThreads({ db }, userId, limit);
}
