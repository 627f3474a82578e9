/** French messages of the documents pages (keys prefixed `documents.`). */
export const DOCUMENTS_FR = {} as const;
