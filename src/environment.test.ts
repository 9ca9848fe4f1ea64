import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  messageRetentionDays,
  publicationMoment,
  securityContact,
  siteUrl,
} from './environment.ts';

describe('publicationMoment', () => {
  const now = new Date('2026-11-29T12:00:00Z');

  it('is now when REEKS_NOW is unset or empty', () => {
    expect(publicationMoment(undefined, now)).toBe(now);
    expect(publicationMoment('', now)).toBe(now);
  });

  it('reads a day as noon UTC of that day, and an ISO moment as it is', () => {
    expect(publicationMoment('2026-12-01').toISOString()).toBe('2026-12-01T12:00:00.000Z');
    expect(publicationMoment('2026-12-01T06:30:00Z').toISOString()).toBe('2026-12-01T06:30:00.000Z');
  });

  it('refuses anything else with what to write', () => {
    expect(() => publicationMoment('morgen')).toThrow(ConfigError);
    expect(() => publicationMoment('morgen')).toThrow(/REEKS_NOW is "morgen".*YYYY-MM-DD/);
    expect(() => publicationMoment('2026-13-45')).toThrow(/REEKS_NOW/);
  });
});

describe('messageRetentionDays', () => {
  it('is the fallback when unset, the number when set', () => {
    expect(messageRetentionDays({}, 365)).toBe(365);
    expect(messageRetentionDays({ REEKS_MESSAGE_RETENTION_DAYS: ' 30 ' }, 365)).toBe(30);
  });

  it('refuses what is not a whole number of days, never falling back to the default', () => {
    for (const value of ['0', '-5', '1.5', 'een jaar'])
      expect(() => messageRetentionDays({ REEKS_MESSAGE_RETENTION_DAYS: value }, 365)).toThrow(
        /^REEKS_MESSAGE_RETENTION_DAYS must be/,
      );
  });
});

describe('siteUrl', () => {
  it('is the origin of the address, or the fallback when unset', () => {
    expect(siteUrl({}, 'https://reeks.example.com')).toBe('https://reeks.example.com');
    expect(siteUrl({ SITE_URL: 'https://Reeks.Gemeente.nl/' }, 'x')).toBe('https://reeks.gemeente.nl');
    expect(siteUrl({ SITE_URL: 'http://localhost:4321' }, 'x')).toBe('http://localhost:4321');
  });

  it('refuses what is not an http or https origin, in one line naming SITE_URL', () => {
    for (const value of [
      'reeks.example.com',
      'ftp://example.com',
      'https://example.com/blog/',
      'https://u:p@example.com',
    ])
      expect(() => siteUrl({ SITE_URL: value }, 'x')).toThrow(/^SITE_URL must be the site's public address/);
  });
});

describe('securityContact', () => {
  it('takes a mailto: address or an https: page, or the fallback when unset', () => {
    expect(securityContact({}, 'mailto:info@example.nl')).toBe('mailto:info@example.nl');
    expect(securityContact({ SECURITY_CONTACT: 'mailto:security@gemeente.nl' }, 'x')).toBe(
      'mailto:security@gemeente.nl',
    );
    expect(securityContact({ SECURITY_CONTACT: 'https://gemeente.nl/melden' }, 'x')).toBe(
      'https://gemeente.nl/melden',
    );
  });

  it('refuses anything else, in one line naming SECURITY_CONTACT', () => {
    for (const value of [
      'security@gemeente.nl',
      'http://gemeente.nl/melden',
      'mailto:niemand',
      'tel:0201234567',
    ])
      expect(() => securityContact({ SECURITY_CONTACT: value }, 'x')).toThrow(
        /^SECURITY_CONTACT must be a mailto: address or an https: page/,
      );
  });
});
