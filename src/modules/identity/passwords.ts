/**
 * Password hashing with argon2id at OWASP's minimum profile (19 MiB, 2 passes, 1 lane): about
 * 27 ms of CPU per hash on this machine, against 187 ms for RFC 9106's 64 MiB × 3 × 4 profile that
 * we used first (measured by the bench: that capped a core at ~5 sign-ins per second). The
 * `argon2` binding hashes on libuv's thread pool, so the event loop keeps serving while a
 * password is checked. Older hashes are upgraded at the next sign-in (`needsRehash`). At 9:00
 * returning people resume a remembered session instead: one HMAC, not one hash.
 */
import argon2 from 'argon2';

const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

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

/** True when a stored hash was made with other parameters than today's. */
export function needsRehash(hash: string): boolean {
  try {
    return argon2.needsRehash(hash, OPTIONS);
  } catch {
    return false;
  }
}
