/**
 * A browser's cookie jar, reduced to what Préau uses: one host, path `/`, names → values, and
 * deletion by `Max-Age=0` or a past `Expires`. Enough to carry sessions, passes, tickets and the
 * CSRF secret exactly as a browser would.
 */
export class CookieJar {
  private readonly values = new Map<string, string>();

  /** Applies the Set-Cookie headers of a response. */
  absorb(setCookie: string | string[] | undefined): void {
    if (setCookie === undefined) return;
    for (const line of Array.isArray(setCookie) ? setCookie : [setCookie]) this.absorbOne(line);
  }

  private absorbOne(line: string): void {
    const [pair = '', ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const removed = attributes.some((a) => {
      const [k = '', v = ''] = a.split('=').map((x) => x.trim());
      const key = k.toLowerCase();
      return (key === 'max-age' && Number(v) <= 0) || (key === 'expires' && Date.parse(v) <= Date.now());
    });
    if (removed || value === '') this.values.delete(name);
    else this.values.set(name, value);
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  set(name: string, value: string): void {
    this.values.set(name, value);
  }

  delete(name: string): void {
    this.values.delete(name);
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** The Cookie request header, or undefined when the jar is empty. */
  header(): string | undefined {
    if (this.values.size === 0) return undefined;
    return [...this.values].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** A copy (a second device of the same person starts from the same remembered cookies). */
  clone(): CookieJar {
    const copy = new CookieJar();
    for (const [k, v] of this.values) copy.values.set(k, v);
    return copy;
  }

  entries(): Array<[string, string]> {
    return [...this.values];
  }
}

/** The device session id inside a `preau_sid` cookie (`sessionId.expiresAt.kid.mac`). */
export function sessionIdOfCookie(value: string | undefined): string | null {
  const id = value?.split('.')[0];
  return id && /^[0-9a-f-]{36}$/.test(id) ? id : null;
}

/** Arrival time and id inside a waiting-room ticket (`v1|lane|tArr|exp|bind|id.kid.mac`). */
export function ticketOfCookie(value: string | undefined): { lane: string; tArr: number; exp: number; id: string } | null {
  if (!value) return null;
  const body = decodeURIComponent(value).split('.')[0] ?? '';
  const [v, lane = '', tArr, exp, , id = ''] = body.split('|');
  if (v !== 'v1' || !tArr || !exp) return null;
  return { lane, tArr: Number(tArr), exp: Number(exp), id };
}
