/**
 * Signing keys. In production they come from PREAU_SECRET (and PREAU_SECRET_PREVIOUS during a
 * rotation). In the embedded mode a random secret is generated once into DATA_DIR/secret.key
 * (mode 0600), so sessions survive a restart without any set-up.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Signer, type SigningKey } from './crypto.ts';

const keyOf = (secret: string): SigningKey => ({
  id: createHash('sha256').update(secret).digest('base64url').slice(0, 6),
  secret: Buffer.from(secret, 'utf8'),
});

export function loadSigner(secrets: readonly string[] | null, dataDir: string): Signer {
  if (secrets && secrets.length > 0) return new Signer(secrets.map(keyOf));
  const file = path.join(dataDir, 'secret.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  return new Signer([keyOf(readFileSync(file, 'utf8').trim())]);
}
