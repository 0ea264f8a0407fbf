import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { randomInt } from 'node:crypto';

export const MIN_PASSWORD_LENGTH = 12;

/** Argon2id with the library's OWASP-aligned defaults. */
export function hashPassword(plain: string): Promise<string> {
  return hash(plain);
}

export async function verifyPassword(passwordHash: string, plain: string): Promise<boolean> {
  try {
    return await verify(passwordHash, plain);
  } catch {
    return false;
  }
}

/** Why a password is refused, or undefined when it is acceptable. */
export function passwordProblem(plain: string, login?: string): string | undefined {
  if (plain.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (plain.length > 200) return 'must be at most 200 characters';
  if (login && containsLogin(plain, login)) return 'must not contain the login';
  if (new Set(plain).size < 5) return 'must use at least 5 different characters';
  if (isCommonPassword(plain)) return 'is too common (it is on a list of leaked passwords); choose another';
  return undefined;
}

function containsLogin(plain: string, login: string): boolean {
  const lower = plain.toLowerCase();
  const name = login.toLowerCase();
  const local = name.split('@')[0];
  return lower.includes(name) || (local.length >= 4 && lower.includes(local));
}

let common: Set<string> | undefined;

/**
 * On zxcvbn's list of ~49,000 common leaked passwords (ranked from breach corpora), as typed or
 * once the digits and symbols around it are stripped ("Password2026!" is "password").
 */
export function isCommonPassword(plain: string): boolean {
  common ??= new Set(dictionary['passwords-common']);
  const lower = plain.toLowerCase();
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  return common.has(lower) || (core.length >= 4 && common.has(core));
}

const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** 4 groups of 4 unambiguous characters (~94 bits), e.g. "k7Qm-Zp3d-…". */
export function generatePassword(): string {
  const groups = Array.from({ length: 4 }, () =>
    Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
  );
  return groups.join('-');
}
