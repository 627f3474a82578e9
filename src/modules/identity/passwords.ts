/**
 * Password hashing with argon2id (RFC 9106 second recommended profile: 64 MiB, 3 passes,
 * 4 lanes). The `argon2` binding hashes on libuv's thread pool, so the event loop keeps serving
 * while a password is checked. At 9:00 returning people resume a remembered session instead,
 * which costs one HMAC, not one hash (see ARCHITECTURE.md).
 */
import argon2 from 'argon2';

const OPTIONS = { type: argon2.argon2id, memoryCost: 65_536, timeCost: 3, parallelism: 4 } as const;

/** A valid hash of a password nobody knows, so unknown logins take as long as known ones. */
let decoyHash: Promise<string> | null = null;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

/** Checks a password against a stored hash; with no hash, burns the same time and says no. */
export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  if (!hash) {
    decoyHash ??= hashPassword('préau-decoy-password');
    await argon2.verify(await decoyHash, password).catch(() => false);
    return false;
  }
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}
