/** The documents module's rows of the roles × actions matrix (filled in by that module). */
import type { MatrixRow } from './matrix-support.ts';

export const DOCUMENTS_MATRIX: MatrixRow[] = [];
