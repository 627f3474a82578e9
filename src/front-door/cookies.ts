/**
 * The two cookies the gate reads on every request, parsed without allocating a cookie map: the
 * gate only needs `preau_adm` and `preau_tkt`, so a bounded `indexOf` scan is enough and stays
 * well under a microsecond on a typical 1 KB Cookie header.
 */

/** The admitted pass: a short-lived signed cookie renewed by activity. */
export const PASS_COOKIE = 'preau_adm';
/** The waiting-room ticket: the person's place in line. */
export const TICKET_COOKIE = 'preau_tkt';

/**
 * Returns the value of cookie `name` in a Cookie header, or undefined. Values are returned as is
 * (our tokens use only cookie-safe characters, so no decoding is needed).
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  let from = 0;
  while (from < header.length) {
    const at = header.indexOf(name, from);
    if (at < 0) return undefined;
    const before = at === 0 ? ';' : header.charAt(at - 1);
    const isStart = before === ';' || before === ' ';
    if (isStart && header.charCodeAt(at + name.length) === 61 /* = */) {
      const valueStart = at + name.length + 1;
      const end = header.indexOf(';', valueStart);
      return header.slice(valueStart, end < 0 ? header.length : end).trim();
    }
    from = at + name.length;
  }
  return undefined;
}

/** Attributes of a cookie the front door sets. */
export interface CookieAttributes {
  maxAgeSeconds: number;
  secure: boolean;
}

/** Serialises an HttpOnly, SameSite=Lax cookie for the whole site. */
export function serializeCookie(name: string, value: string, attributes: CookieAttributes): string {
  const secure = attributes.secure ? '; Secure' : '';
  return `${name}=${value}; Max-Age=${Math.max(0, Math.floor(attributes.maxAgeSeconds))}; Path=/; HttpOnly; SameSite=Lax${secure}`;
}

/** A Set-Cookie value that deletes cookie `name`. */
export function clearCookie(name: string, secure: boolean): string {
  return serializeCookie(name, '', { maxAgeSeconds: 0, secure });
}
