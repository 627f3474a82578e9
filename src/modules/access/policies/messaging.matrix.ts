/** The messaging module's rows of the roles × actions matrix (filled in by that module). */
import type { MatrixRow } from './matrix-support.ts';

export const MESSAGING_MATRIX: MatrixRow[] = [];
