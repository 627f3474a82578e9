import { describe, expect, it } from 'vitest';
import { Signer } from '../../platform/crypto.ts';
import { SessionTokens } from './session-tokens.ts';

const tokens = new SessionTokens(new Signer([{ id: 'k1', secret: Buffer.alloc(32, 7) }]));
const sessionId = '11111111-1111-4111-8111-111111111111';
const userId = '22222222-2222-4222-8222-222222222222';

describe('SessionTokens: verified tokens remembered', () => {
  it('reads a remembered pass again without weakening expiry, forgery or kind checks', () => {
    const pass = tokens.signPass({ userId, sessionId, expiresAt: 10_000 });
    expect(tokens.readPass(pass, 1_000)).toEqual({ userId, sessionId, expiresAt: 10_000 });
    expect(tokens.readPass(pass, 2_000)).toEqual({ userId, sessionId, expiresAt: 10_000 });
    expect(tokens.readPass(pass, 10_000)).toBeNull(); // expired, even though remembered
    expect(tokens.readPass(`${pass.slice(0, -2)}AA`, 1_000)).toBeNull(); // forged MAC
    expect(tokens.readSession(pass, 1_000)).toBeNull(); // a pass is not a session cookie
    const session = tokens.signSession({ sessionId, expiresAt: 10_000 });
    expect(tokens.readSession(session, 1_000)).toEqual({ sessionId, expiresAt: 10_000 });
    expect(tokens.readPass(session, 1_000)).toBeNull();
  });
});
