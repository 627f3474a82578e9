import type { DOCUMENTS_FR } from './documents.fr.ts';

/** English messages of the documents pages: the same keys as French. */
export const DOCUMENTS_EN: { readonly [K in keyof typeof DOCUMENTS_FR]: string } = {};
