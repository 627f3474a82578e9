import { describe, expect, it } from 'vitest';
import { Signer } from '../platform/crypto.ts';
import { PassCodec, TicketCodec, bindOf, networkOf, positionOf, type Ticket } from './tickets.ts';

const key = (id: string, fill: string) => ({ id, secret: Buffer.from(fill.repeat(32)) });
const oldSigner = new Signer([key('k1', 'a')]);
const rotated = new Signer([key('k2', 'b'), key('k1', 'a')]);
const newOnly = new Signer([key('k2', 'b')]);
const LANES = ['priority', 'general'];
const NOW = Date.UTC(2026, 8, 7, 7, 0, 0);
const UA = 'Mozilla/5.0 (Linux; Android 9) Mobile';
const BIND = bindOf(UA, '192.0.2.17');
const ticketCodec = (signer: Signer) => new TicketCodec(signer, { ttlMs: 600_000, lanes: LANES });
const passCodec = (signer: Signer) => new PassCodec(signer, { ttlMs: 120_000, lanes: LANES });
const TICKET: Ticket = { lane: 'general', tArr: NOW - 5_000, exp: NOW + 300_000, bind: BIND, id: 'ab12' };

describe('tickets', () => {
  const codec = ticketCodec(oldSigner);

  it('verifies its own ticket and returns its fields', () => {
    const result = codec.verify(codec.issue(TICKET), BIND, NOW);
    expect(result).toEqual({ ok: true, value: TICKET });
  });

  it('refuses every single-character edit of a ticket (forged or malformed, never accepted)', () => {
    const token = codec.issue(TICKET);
    for (let i = 0; i < token.length; i++) {
      const replacement = token[i] === 'A' ? 'B' : 'A';
      const edited = token.slice(0, i) + replacement + token.slice(i + 1);
      expect(codec.verify(edited, BIND, NOW).ok, `edit at ${i}`).toBe(false);
    }
  });

  it('refuses a ticket whose arrival time was moved earlier, even with the original MAC', () => {
    const token = codec.issue(TICKET);
    const edited = token.replace(`|${TICKET.tArr}|`, `|${TICKET.tArr - 60_000}|`);
    expect(codec.verify(edited, BIND, NOW)).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuses an expired ticket', () => {
    expect(codec.verify(codec.issue(TICKET), BIND, TICKET.exp)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a ticket transplanted to another user agent or another /24 network', () => {
    const token = codec.issue(TICKET);
    expect(codec.verify(token, bindOf('curl/8.0', '192.0.2.17'), NOW)).toEqual({ ok: false, reason: 'transplanted' });
    expect(codec.verify(token, bindOf(UA, '198.51.100.17'), NOW)).toEqual({ ok: false, reason: 'transplanted' });
    expect(codec.verify(token, bindOf(UA, '192.0.2.250'), NOW).ok).toBe(true);
  });

  it('refuses an unknown key id and a token signed for another purpose', () => {
    const token = codec.issue(TICKET);
    const unknownKid = token.replace('.k1.', '.k9.');
    expect(codec.verify(unknownKid, BIND, NOW)).toEqual({ ok: false, reason: 'forged' });
    const pass = passCodec(oldSigner).issue('general', BIND, NOW);
    expect(codec.verify(pass, BIND, NOW)).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuses a lane that is not configured', () => {
    const other = new TicketCodec(oldSigner, { ttlMs: 600_000, lanes: ['vip', 'general'] });
    expect(codec.verify(other.issue({ ...TICKET, lane: 'vip' }), BIND, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('keeps old tickets valid during a key rotation, and refuses them once the old key is retired', () => {
    const old = ticketCodec(oldSigner).issue(TICKET);
    expect(ticketCodec(rotated).verify(old, BIND, NOW).ok).toBe(true);
    const fresh = ticketCodec(rotated).issue(TICKET);
    expect(fresh).toContain('.k2.');
    expect(ticketCodec(oldSigner).verify(fresh, BIND, NOW).ok).toBe(false);
    expect(ticketCodec(newOnly).verify(old, BIND, NOW)).toEqual({ ok: false, reason: 'forged' });
  });

  it('renews a ticket only when less than half its life remains, keeping its place', () => {
    expect(codec.renewIfDue({ ...TICKET, exp: NOW + 400_000 }, NOW)).toBeNull();
    const renewed = codec.renewIfDue({ ...TICKET, exp: NOW + 200_000 }, NOW);
    expect(renewed?.ticket).toEqual({ ...TICKET, exp: NOW + 600_000 });
    const check = codec.verify(renewed!.token, BIND, NOW);
    expect(check.ok && check.value.tArr).toBe(TICKET.tArr);
  });

  it('is deterministic: the same fields under the same key give the same token', () => {
    expect(codec.issue(TICKET)).toBe(codec.issue({ ...TICKET }));
  });
});

describe('passes', () => {
  const codec = passCodec(oldSigner);

  it('verifies a fresh pass and refuses it after its short lifetime', () => {
    const token = codec.issue('general', BIND, NOW);
    expect(codec.verify(token, BIND, NOW + 119_999).ok).toBe(true);
    expect(codec.verify(token, BIND, NOW + 120_000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses forged, edited, transplanted and ticket-as-pass tokens', () => {
    const token = codec.issue('general', BIND, NOW);
    expect(codec.verify(`${token.slice(0, -2)}xx`, BIND, NOW).ok).toBe(false);
    expect(codec.verify(token.replace('|general|', '|priority|'), BIND, NOW)).toEqual({ ok: false, reason: 'forged' });
    expect(codec.verify(token, bindOf(UA, '203.0.113.9'), NOW)).toEqual({ ok: false, reason: 'transplanted' });
    expect(codec.verify(ticketCodec(oldSigner).issue(TICKET), BIND, NOW).ok).toBe(false);
  });

  it('is renewed by activity once less than half its life remains, keeping the entry time', () => {
    const token = codec.issue('general', BIND, NOW);
    const pass = codec.verify(token, BIND, NOW);
    if (!pass.ok) throw new Error('expected a valid pass');
    expect(codec.renewIfDue(pass.value, NOW + 59_000)).toBeNull();
    const renewed = codec.renewIfDue(pass.value, NOW + 61_000);
    const check = codec.verify(renewed!, BIND, NOW + 61_000 + 119_000);
    expect(check.ok && check.value.iat).toBe(NOW);
  });

  it('works across a key rotation', () => {
    const old = passCodec(oldSigner).issue('general', BIND, NOW);
    expect(passCodec(rotated).verify(old, BIND, NOW).ok).toBe(true);
  });
});

describe('soft binding', () => {
  it('uses the /24 of IPv4 (mapped or not) and the /48 of IPv6', () => {
    expect(networkOf('192.0.2.17')).toBe('192.0.2');
    expect(networkOf('::ffff:192.0.2.17')).toBe('192.0.2');
    expect(networkOf('2001:db8:abcd:12::1')).toBe('2001:db8:abcd');
    expect(networkOf('2001:0db8:00ab::')).toBe('2001:db8:ab');
    expect(networkOf('::1')).toBe('0:0:0');
    expect(bindOf(UA, '2001:db8:abcd:1::5')).toBe(bindOf(UA, '2001:db8:abcd:ffff::9'));
    expect(bindOf(UA, '2001:db8:abcd:1::5')).not.toBe(bindOf(UA, '2001:db8:abce:1::5'));
  });
});

describe('place in line', () => {
  it('keeps the 100 ms arrival bucket and spreads tickets minted in sequence evenly inside it', () => {
    const deciles = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const position = positionOf({ tArr: NOW + 37, id: `ab${i.toString(36)}` });
      expect(Math.floor(position / 100)).toBe(Math.floor((NOW + 37) / 100));
      deciles[Math.floor(position - Math.floor(position / 100) * 100) / 10 | 0]! += 1;
    }
    for (const n of deciles) expect(Math.abs(n - 1_000)).toBeLessThan(120);
    // Within a run of 50 consecutive ids, positions cover the bucket (no clustering).
    const run = Array.from({ length: 50 }, (_, i) => positionOf({ tArr: NOW, id: `zz${i}` }) % 100).sort((a, b) => a - b);
    expect(run[run.length - 1]! - run[0]!).toBeGreaterThan(80);
  });
});
