/** Rules of the homework module (filled in by that module). */
import type { Actor } from '../actor.ts';

export const HOMEWORK_POLICY = {} satisfies Record<string, (actor: Actor, target: never) => boolean>;
