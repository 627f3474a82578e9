/**
 * Importing people from a school's CSV file, all or nothing: parse (parse-csv.ts), validate
 * every row against the file and the school (validate-fields.ts, validate-rows.ts), then write
 * the whole file in one transaction (apply-import.ts). The format is described in README.md.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../../platform/db/schema.ts';
import { notFound } from '../../../shared/errors.ts';
import type { TImportResult } from '../schools.schemas.ts';
import { applyPlan } from './apply-import.ts';
import { importFailed } from './import-format.ts';
import { loadExistingLinks, loadImportContext } from './import-context.ts';
import { parseCsv } from './parse-csv.ts';
import { validateRows } from './validate-rows.ts';

export interface ImportPeopleInput {
  schoolId: string;
  /** The file's text (a leading BOM is ignored). */
  csv: string;
  /** Validate and count, write nothing, issue no code. */
  dryRun?: boolean;
  /** Who imports: recorded as the creator of the activation codes. */
  actorUserId?: string | null;
  /** Called with (rows applied, rows in the file) as the rows are written. */
  onProgress?: (done: number, total: number) => void;
}

/** Serialises imports platform-wide, so that two imports never pick the same new login. */
const IMPORT_LOCK_KEY = 7_261_940_422;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Thrown inside the transaction to roll a dry run back. */
class DryRunRollback extends Error {
  constructor(readonly result: TImportResult) {
    super('dry run');
  }
}

/**
 * Imports (creates or updates) the people of a school from a CSV file. Every row is checked
 * first: if any is wrong, throws UNPROCESSABLE with `details.errors` listing every problem
 * (`{ line, column, message }`) and writes nothing. Otherwise applies the whole file in one
 * transaction and returns the counts, with the new accounts' activation codes (shown once; a
 * dry run lists the accounts it would create with `userId` and `activationCode` empty).
 * Re-importing the same file changes nothing. Throws NOT_FOUND for an unknown school.
 * Given a transaction (`db.isTransaction`), writes inside it (the demo seed does), and then
 * cannot do a dry run.
 */
export async function importPeople(db: Kysely<DB>, input: ImportPeopleInput): Promise<TImportResult> {
  const dryRun = input.dryRun ?? false;
  if (!UUID.test(input.schoolId)) throw notFound('Établissement');
  const school = await db.selectFrom('schools').select('id').where('id', '=', input.schoolId).executeTakeFirst();
  if (!school) throw notFound('Établissement');
  const parsed = parseCsv(input.csv);
  if (db.isTransaction && dryRun) throw new Error('importPeople: a dry run needs its own transaction');
  const inTransaction = <T>(fn: (tx: Kysely<DB>) => Promise<T>): Promise<T> =>
    db.isTransaction ? fn(db) : db.transaction().execute(fn);
  try {
    return await inTransaction(async (tx) => {
      await sql`SELECT pg_advisory_xact_lock(${IMPORT_LOCK_KEY})`.execute(tx);
      const ctx = await loadImportContext(tx, school.id);
      const { plan, issues } = validateRows(parsed, ctx, new Date().toISOString().slice(0, 10));
      if (issues.length > 0) throw importFailed(issues);
      const links = await loadExistingLinks(tx, school.id);
      const counts = await applyPlan(tx, plan, ctx, links, {
        schoolId: school.id,
        actorUserId: input.actorUserId ?? null,
        dryRun,
        onProgress: input.onProgress,
      });
      const result: TImportResult = { dryRun, rows: plan.rows, ...counts };
      if (dryRun) throw new DryRunRollback(result);
      return result;
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.result;
    throw error;
  }
}
