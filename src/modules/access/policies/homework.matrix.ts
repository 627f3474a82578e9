/** The homework module's rows of the roles × actions matrix (filled in by that module). */
import type { MatrixRow } from './matrix-support.ts';

export const HOMEWORK_MATRIX: MatrixRow[] = [];
