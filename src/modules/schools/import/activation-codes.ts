/**
 * One-time activation codes: handed out on paper, stored only as `sha256(normaliseCode(code))`,
 * one live code per account (a new code replaces the old one).
 */
import { sql, type Kysely } from 'kysely';
import { normaliseCode, randomCode, sha256Hex } from '../../../platform/crypto.ts';
import type { DB } from '../../../platform/db/schema.ts';
import { notFound } from '../../../shared/errors.ts';
import { DAY } from '../../../shared/time.ts';

/** How long a code stays valid after it is issued. */
export const ACTIVATION_CODE_TTL_DAYS = 90;

/** The stored form of a code: what a person types, normalised, then hashed. */
export const hashActivationCode = (code: string): string => sha256Hex(normaliseCode(code));

/** When a code issued at `now` stops working. */
export const activationExpiry = (now = Date.now()): Date => new Date(now + ACTIVATION_CODE_TTL_DAYS * DAY);

/**
 * Stores codes for several accounts in one statement per 1 000 accounts, replacing any code they
 * had. `codes` pairs each account with its clear-text code.
 */
export async function storeActivationCodes(
  db: Kysely<DB>,
  codes: readonly { userId: string; code: string }[],
  options: { actorUserId: string | null; expiresAt: Date },
): Promise<void> {
  for (let i = 0; i < codes.length; i += 1000) {
    const rows = codes.slice(i, i + 1000).map((c) => ({
      user_id: c.userId,
      code_hash: hashActivationCode(c.code),
      expires_at: options.expiresAt,
      created_by: options.actorUserId,
    }));
    await db
      .insertInto('activation_codes')
      .values(rows)
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet({
          code_hash: (eb) => eb.ref('excluded.code_hash'),
          expires_at: (eb) => eb.ref('excluded.expires_at'),
          created_by: (eb) => eb.ref('excluded.created_by'),
          created_at: sql<Date>`now()`,
        }),
      )
      .execute();
  }
}

/**
 * Issues a new activation code for an account (the admin's « nouveau code » action), replacing
 * any previous one. Returns the clear-text code, to show once. Throws NOT_FOUND for an unknown
 * account.
 */
export async function issueActivationCode(
  db: Kysely<DB>,
  input: { userId: string; actorUserId: string | null },
): Promise<{ code: string; expiresAt: Date }> {
  const user = await db.selectFrom('users').select('id').where('id', '=', input.userId).executeTakeFirst();
  if (!user) throw notFound('Compte');
  const code = randomCode();
  const expiresAt = activationExpiry();
  await storeActivationCodes(db, [{ userId: user.id, code }], { actorUserId: input.actorUserId, expiresAt });
  return { code, expiresAt };
}
