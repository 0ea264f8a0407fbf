import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 1;

/**
 * AES-256-GCM for secrets at rest: version byte, 12-byte nonce, 16-byte tag, ciphertext.
 * `context` (the owner's id) is authenticated too, so a row copied onto another user fails.
 */
export function sealSecret(key: Buffer, plaintext: string, context: string): Buffer {
  if (key.length !== 32) throw new Error('the secret key must be 32 bytes');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
}

/** The plaintext, or an error when the key, the context or a byte is wrong. */
export function openSecret(key: Buffer, sealed: Buffer, context: string): string {
  if (sealed.length < 29 || sealed[0] !== VERSION) throw new Error('not a sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 13));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(sealed.subarray(13, 29));
  return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]).toString('utf8');
}
