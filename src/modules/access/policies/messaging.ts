/** Rules of the messaging module (filled in by that module). */
import type { Actor } from '../actor.ts';

export const MESSAGING_POLICY = {} satisfies Record<string, (actor: Actor, target: never) => boolean>;
