/** The documents module's public API: routes, the files other modules reference, the dashboard and demo functions. */
export { documentsRoutes, type DocumentsRouteDeps } from './documents.routes.ts';
export type { DocumentsDeps } from './files.service.ts';
export { findOwnedFiles, type FileMeta } from './documents.store.ts';
export { findNewestDocuments, type NewestDocument } from './lists.store.ts';
export { seedDocumentsDemo } from './demo/documents-demo.ts';
export { MAX_FILE_BYTES } from './documents.config.ts';
