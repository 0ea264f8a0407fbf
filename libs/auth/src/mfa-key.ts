import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { RecallConfig } from '@recall/config';

/**
 * MFA_SECRET_KEY when set; otherwise a key generated once in DATA_DIR/mfa-secret.key (mode 0600).
 * Created through a hard link so processes starting together all end up with the same key.
 */
export function loadMfaKey(config: RecallConfig): Buffer {
  const configured = config.mfaSecretKey;
  if (configured) return configured;
  const file = config.mfaKeyFile;
  try {
    return parseKeyFile(readFileSync(file, 'utf8'), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  try {
    linkSync(tmp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(tmp);
  }
  return parseKeyFile(readFileSync(file, 'utf8'), file);
}

function parseKeyFile(text: string, file: string): Buffer {
  const hex = text.trim();
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`${file}: not a 64-hex-digit key`);
  return Buffer.from(hex, 'hex');
}
