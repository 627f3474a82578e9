/** French messages of the homework pages (keys prefixed `homework.`). */
export const HOMEWORK_FR = {} as const;
