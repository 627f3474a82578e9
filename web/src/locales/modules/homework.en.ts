import type { HOMEWORK_FR } from './homework.fr.ts';

/** English messages of the homework pages: the same keys as French. */
export const HOMEWORK_EN: { readonly [K in keyof typeof HOMEWORK_FR]: string } = {};
