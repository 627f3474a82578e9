/** French messages of the messaging pages (keys prefixed `messaging.`). */
export const MESSAGING_FR = {} as const;
