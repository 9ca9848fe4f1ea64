import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from './config.ts';
import { deriveKeys, loadKeys, rootSecret, secretFileOf } from './secrets.ts';

const dirs: string[] = [];
const tempDb = () => {
  const dir = mkdtempSync(join(tmpdir(), 'reeks-secret-'));
  dirs.push(dir);
  return join(dir, 'site.db');
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('rootSecret', () => {
  it('generates one secret beside the database, mode 0600, and keeps it', () => {
    const databasePath = tempDb();
    const first = rootSecret({ databasePath });
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(statSync(secretFileOf(databasePath)).mode & 0o777).toBe(0o600);
    expect(readFileSync(secretFileOf(databasePath), 'utf8').trim()).toBe(first);
    expect(rootSecret({ databasePath })).toBe(first);
  });

  it('takes the one the environment gives, and keeps no file then', () => {
    const databasePath = tempDb();
    expect(rootSecret({ databasePath, secret: 's'.repeat(32) })).toBe('s'.repeat(32));
    expect(() => statSync(secretFileOf(databasePath))).toThrow();
  });

  it('stops with one line when the secret cannot be kept', () => {
    expect(() => loadKeys({ databasePath: '/proc/no-such/site.db' })).toThrow(ConfigError);
    expect(() => loadKeys({ databasePath: '/proc/no-such/site.db' })).toThrow(
      /^Cannot keep the secret .*REEKS_SECRET/,
    );
  });
});

describe('deriveKeys', () => {
  it('gives each purpose its own key, the same for the same secret', () => {
    const keys = deriveKeys('x'.repeat(32));
    expect(keys.key('form-token')).toEqual(deriveKeys('x'.repeat(32)).key('form-token'));
    expect(keys.key('form-token')).not.toEqual(keys.key('unsubscribe'));
    expect(keys.key('follow-confirm')).not.toEqual(deriveKeys('y'.repeat(32)).key('follow-confirm'));
    expect(keys.key('unsubscribe')).toHaveLength(32);
  });
});
