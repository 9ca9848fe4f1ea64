// The one secret the server signs with, and a key per purpose derived from it. Links in mail
// (confirm a follow, unsubscribe) must keep working across restarts and nightly publishes, so
// the secret lasts: `REEKS_SECRET` (or its old name `REEKS_FORM_SECRET`), or else one generated
// once and kept beside the database, readable by the server's user only. Each purpose gets its own
// key through HKDF, so a key that leaks, or is revoked by changing its purpose label, leaves the
// others as they were.
import { hkdfSync, randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { ConfigError, type ServerConfig } from './config.ts';

/** The purposes with a key of their own. */
export type KeyPurpose =
  | 'form-token'
  | 'follow-confirm'
  | 'follow-confirm-cipher'
  | 'unsubscribe'
  | 'address-key'
  | 'preview-link'
  | 'report-link';

/** Where a generated secret is kept: beside the database, e.g. data/site.db.secret. */
export const secretFileOf = (databasePath: string) => `${databasePath}.secret`;

function keptSecret(file: string): string {
  try {
    // 'wx': only one process creates it, however many start at once.
    const fd = openSync(file, 'wx', 0o600);
    try {
      writeSync(fd, `${randomBytes(32).toString('base64url')}\n`);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < 32)
    throw new Error(`the secret in ${file} is too short: delete the file to have a new one made`);
  return secret;
}

/** The root secret: from the environment, or kept in a file beside the database (made on first use). */
export function rootSecret(config: Pick<ServerConfig, 'secret' | 'databasePath'>): string {
  if (config.secret) return config.secret;
  // An in-memory database (tests) has no folder to keep a secret in: one for this process.
  if (config.databasePath === ':memory:') return randomBytes(32).toString('base64url');
  return keptSecret(secretFileOf(config.databasePath));
}

export interface Keys {
  /** A 32-byte key for one purpose, the same for every process with the same root secret. */
  key: (purpose: KeyPurpose) => Buffer;
}

export function deriveKeys(secret: string): Keys {
  const cache = new Map<KeyPurpose, Buffer>();
  return {
    key(purpose) {
      let key = cache.get(purpose);
      if (!key) {
        key = Buffer.from(hkdfSync('sha256', secret, 'reeks', `reeks:${purpose}`, 32));
        cache.set(purpose, key);
      }
      return key;
    },
  };
}

/**
 * The key of a purpose whose links are revoked all at once by raising a generation: the authors'
 * report links (REEKS_REPORT_LINK_GENERATION). Derived from the purpose's own key and the
 * generation, so a link signed under an earlier generation no longer checks.
 */
export function generationKey(keys: Keys, purpose: KeyPurpose, generation: number): Buffer {
  return Buffer.from(
    hkdfSync('sha256', keys.key(purpose), 'reeks', `reeks:${purpose}:generation:${generation}`, 32),
  );
}

/** The keys for `npm start` and the commands, or a stop with one line when the secret cannot be kept. */
export function loadKeys(config: Pick<ServerConfig, 'secret' | 'databasePath'>): Keys {
  try {
    return deriveKeys(rootSecret(config));
  } catch (error) {
    throw new ConfigError(
      `Cannot keep the secret beside the database (${(error as Error).message}): set REEKS_SECRET to 32 or more characters, e.g. from "openssl rand -base64 32".`,
    );
  }
}
