import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/database.ts';
import { hashActivationCode, issueActivationCode } from './activation-codes.ts';
import { importPeople } from './import-people.ts';
import { SMALL_SCHOOL, createSchool, personOf } from './import.test-support.ts';

let database: Awaited<ReturnType<typeof openTestDatabase>>;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

describe('issueActivationCode', () => {
  it('replaces the previous code of the account and records who issued it', async () => {
    const { db } = database;
    const school = await createSchool(db);
    const imported = await importPeople(db, { schoolId: school.id, csv: SMALL_SCHOOL });
    const admin = await personOf(db, school.id, 'D1');
    const lea = await personOf(db, school.id, 'E1');
    const first = imported.newAccounts.find((a) => a.userId === lea.id)!.activationCode;

    const { code, expiresAt } = await issueActivationCode(db, { userId: lea.id, actorUserId: admin.id });
    expect(code).not.toBe(first);
    const rows = await db.selectFrom('activation_codes').selectAll().where('user_id', '=', lea.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ code_hash: hashActivationCode(code), created_by: admin.id });
    expect(rows[0]?.expires_at.getTime()).toBe(expiresAt.getTime());
    expect(Math.round((expiresAt.getTime() - Date.now()) / 86_400_000)).toBe(90);
    expect(await db.selectFrom('activation_codes').select('user_id').where('code_hash', '=', hashActivationCode(first)).execute()).toEqual([]);
  });

  it('hashes what a person types, forgiving case, spaces and look-alike letters', () => {
    expect(hashActivationCode('7e57 c0de 2026')).toBe(hashActivationCode('7E57-C0DE-2026'));
    expect(hashActivationCode('7E57-CODE-2026')).toBe(hashActivationCode('7E57-C0DE-2026'));
  });

  it('answers NOT_FOUND for an unknown account', async () => {
    const error = await issueActivationCode(database.db, { userId: '00000000-0000-4000-8000-000000000000', actorUserId: null }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOT_FOUND' });
  });
});
