import { describe, expect, it } from 'vitest';
import { errorForLog, requestForLog } from './log-lines.ts';

describe('log lines', () => {
  it('name a request by its method and path, never its query or an address in it', () => {
    const token = Buffer.from(JSON.stringify({ e: 'lezer@example.nl' })).toString('base64url');
    expect(requestForLog('GET', `/volgen/bevestigen/?t=${token}.abc`)).toBe('GET /volgen/bevestigen/');
    expect(requestForLog('POST', '/lezer@example.nl/?x=1#y')).toBe('POST <adres>');
    expect(requestForLog(undefined, undefined)).toBe('? ');
  });

  it('hide every address in an error, its stack included', () => {
    const error = new Error('550 5.1.1 <lezer@example.nl>: Recipient address rejected');
    const line = errorForLog(error);
    expect(line).toContain('550 5.1.1 <<adres>>: Recipient address rejected');
    expect(line).toContain('log-lines.test.ts');
    expect(line).not.toContain('@');
    expect(errorForLog('mail to a@b.nl failed')).toBe('mail to <adres> failed');
  });
});
