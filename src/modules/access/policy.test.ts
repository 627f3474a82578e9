/**
 * The roles × actions matrix: every persona against every row of every module. Adding an action
 * to POLICY without a row fails the "covers every action" test.
 */
import { describe, expect, it } from 'vitest';
import { CORE_MATRIX } from './policies/core.matrix.ts';
import { DOCUMENTS_MATRIX } from './policies/documents.matrix.ts';
import { HOMEWORK_MATRIX } from './policies/homework.matrix.ts';
import { ALL, CLASS_6A, PERSONAS, SCHOOL_A, type MatrixRow } from './policies/matrix-support.ts';
import { MESSAGING_MATRIX } from './policies/messaging.matrix.ts';
import { TIMETABLE_MATRIX } from './policies/timetable.matrix.ts';
import { ACTIONS, authorize, can, type Action } from './policy.ts';

const MATRIX: MatrixRow[] = [...CORE_MATRIX, ...MESSAGING_MATRIX, ...DOCUMENTS_MATRIX, ...HOMEWORK_MATRIX, ...TIMETABLE_MATRIX];
const check = (action: string, who: typeof PERSONAS.pupilLea, target: unknown): boolean =>
  (can as unknown as (a: typeof who, action: Action, target: unknown) => boolean)(who, action as Action, target);

describe('authorization matrix (roles × actions)', () => {
  it('covers every action of the policy', () => {
    expect(new Set(MATRIX.map((r) => r.action))).toEqual(new Set(ACTIONS));
  });

  for (const row of MATRIX) {
    for (const persona of ALL) {
      const expected = row.allowed.includes(persona);
      it(`${row.action} on ${row.what}: ${persona} is ${expected ? 'allowed' : 'refused'}`, () => {
        const who = PERSONAS[persona];
        const target = typeof row.target === 'function' ? (row.target as (w: typeof who) => unknown)(who) : row.target;
        expect(check(row.action, who, target)).toBe(expected);
      });
    }
  }

  it('authorize throws FORBIDDEN with a French message', () => {
    expect(() => authorize(PERSONAS.pupilLea, 'school.import', { schoolId: SCHOOL_A })).toThrow(/pas le droit/);
  });

  it('refuses class.read when the class id is missing, whoever asks', () => {
    for (const persona of ALL) expect(can(PERSONAS[persona], 'class.read', { schoolId: SCHOOL_A })).toBe(false);
    expect(can(PERSONAS.pupilLea, 'class.read', { schoolId: SCHOOL_A, classId: CLASS_6A })).toBe(true);
  });
});

