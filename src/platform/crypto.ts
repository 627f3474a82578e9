import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Synchronous HMAC-SHA256 signing with key ids, so that two keys can be live at once during a
 * rotation. Used for session cookies, access passes, waiting-room tickets and CSRF tokens: the
 * hot path verifies in a few microseconds with no I/O.
 */
export interface SigningKey {
  id: string;
  secret: Buffer;
}

export class Signer {
  private readonly current: SigningKey;
  private readonly byId: Map<string, SigningKey>;

  constructor(keys: readonly SigningKey[]) {
    const first = keys[0];
    if (!first) throw new Error('Signer needs at least one key');
    this.current = first;
    this.byId = new Map(keys.map((k) => [k.id, k]));
  }

  /** Derives a purpose-specific signer so a token of one kind can never pass as another. */
  derive(purpose: string): Signer {
    return new Signer(
      [...this.byId.values()].map((k) => ({
        id: k.id,
        secret: createHmac('sha256', k.secret).update(`preau:${purpose}`).digest(),
      })),
    );
  }

  /** The current key's bytes, for libraries that take a raw HMAC key (CSRF tokens). */
  keyMaterial(): Buffer {
    return this.current.secret;
  }

  /** Returns `body.kid.mac` (base64url mac). `body` must not contain dots' meaning beyond being opaque. */
  sign(body: string): string {
    const mac = createHmac('sha256', this.current.secret).update(body).digest('base64url');
    return `${body}.${this.current.id}.${mac}`;
  }

  /** Returns the body when the token carries a valid MAC under a live key, else null. */
  verify(token: string): string | null {
    const macDot = token.lastIndexOf('.');
    if (macDot <= 0) return null;
    const kidDot = token.lastIndexOf('.', macDot - 1);
    if (kidDot <= 0) return null;
    const key = this.byId.get(token.slice(kidDot + 1, macDot));
    if (!key) return null;
    const body = token.slice(0, kidDot);
    const expected = createHmac('sha256', key.secret).update(body).digest();
    const given = Buffer.from(token.slice(macDot + 1), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    return body;
  }
}

export const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex');

export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** Crockford base32 without I, L, O, U: readable on a letter handed to a family. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A one-time code such as `K7QM-3XWP-9D2F` (60 bits). */
export function randomCode(groups = 3, groupLength = 4): string {
  const out: string[] = [];
  const bytes = randomBytes(groups * groupLength);
  for (let g = 0; g < groups; g++) {
    let s = '';
    for (let i = 0; i < groupLength; i++) s += CODE_ALPHABET[bytes[g * groupLength + i]! & 31];
    out.push(s);
  }
  return out.join('-');
}

/** Normalises what a person typed: case, spaces, dashes, and the letters people confuse. */
export function normaliseCode(typed: string): string {
  const raw = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return raw.match(/.{1,4}/g)?.join('-') ?? '';
}
