import type { TIMETABLE_FR } from './timetable.fr.ts';

/** English messages of the timetable pages: the same keys as French. */
export const TIMETABLE_EN: { readonly [K in keyof typeof TIMETABLE_FR]: string } = {};
