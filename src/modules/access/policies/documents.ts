/** Rules of the documents module (filled in by that module). */
import type { Actor } from '../actor.ts';

export const DOCUMENTS_POLICY = {} satisfies Record<string, (actor: Actor, target: never) => boolean>;
