import type { MESSAGING_FR } from './messaging.fr.ts';

/** English messages of the messaging pages: the same keys as French. */
export const MESSAGING_EN: { readonly [K in keyof typeof MESSAGING_FR]: string } = {};
