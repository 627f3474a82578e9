/** Rules of the timetable module (filled in by that module). */
import type { Actor } from '../actor.ts';

export const TIMETABLE_POLICY = {} satisfies Record<string, (actor: Actor, target: never) => boolean>;
