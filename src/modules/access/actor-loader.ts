/**
 * Builds actors from the database, with a short in-process cache: at 9:00 the same person makes
 * several requests in a few seconds, and their roles do not change between them. Changes that
 * matter call `forget`; an import (`roster.changed`, heard on every node) forgets everyone.
 */
import { LRUCache } from 'lru-cache';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { EventBus } from '../../platform/events.ts';
import type { Actor } from './actor.ts';
import { findActorRow, type ActorRow } from './access.store.ts';

type Scope = Omit<Actor, 'sessionId'>;

export class ActorLoader {
  private readonly cache: LRUCache<string, Scope>;

  constructor(
    private readonly db: Kysely<DB>,
    options: { ttlMs?: number; max?: number } = {},
  ) {
    this.cache = new LRUCache({ max: options.max ?? 50_000, ttl: options.ttlMs ?? 30_000 });
  }

  /** The actor, or null when the user no longer exists or is disabled. */
  async load(userId: string, sessionId: string): Promise<Actor | null> {
    let scope = this.cache.get(userId);
    if (!scope) {
      const row = await findActorRow(this.db, userId);
      if (!row) return null;
      scope = toScope(userId, row);
      this.cache.set(userId, scope);
    }
    return { ...scope, sessionId };
  }

  forget(userId?: string): void {
    if (userId) this.cache.delete(userId);
    else this.cache.clear();
  }

  /** Forgets everyone when a school's people change in bulk, whichever node imported them. */
  listen(events: Pick<EventBus, 'on'>): () => void {
    return events.on((event) => {
      if (event.type === 'roster.changed') this.forget();
    });
  }
}

export function toScope(userId: string, row: ActorRow): Scope {
  const roles = row.roles.map((r) => ({ role: r.role, schoolId: r.school_id }));
  const schoolsWith = (...wanted: string[]) =>
    new Set(roles.filter((r) => wanted.includes(r.role) && r.schoolId).map((r) => r.schoolId as string));
  return {
    userId,
    roles,
    schoolIds: new Set(roles.flatMap((r) => (r.schoolId ? [r.schoolId] : []))),
    enrolledClassIds: new Set(row.enrolled),
    childIds: new Set(row.children),
    childClassIds: new Set(row.child_classes),
    taughtClassIds: new Set(row.taught),
    staffSchoolIds: schoolsWith('principal', 'cpe'),
    adminSchoolIds: schoolsWith('school_admin'),
    isOperator: roles.some((r) => r.role === 'operator'),
  };
}
