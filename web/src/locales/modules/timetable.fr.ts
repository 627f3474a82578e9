/** French messages of the timetable pages (keys prefixed `timetable.`). */
export const TIMETABLE_FR = {} as const;
