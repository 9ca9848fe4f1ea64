import { describe, expect, it } from 'vitest';
import { readServerConfig } from './config.ts';

const password = 'een lang geheim';

describe('readServerConfig', () => {
  it('has a default for everything', () => {
    const config = readServerConfig({});
    expect(config).toMatchObject({
      port: 4321,
      host: 'localhost',
      siteUrl: 'https://reeks.example.com',
      eventsPerMinute: 60,
      messagesPerHour: 10,
      messageRetentionDays: 365,
      trustedProxies: [],
      ipv6Prefix: 64,
      bodyTimeoutSeconds: 10,
      workers: 1,
    });
    expect(config.databasePath).toMatch(/\/data\/site\.db$/);
    expect([config.smtp, config.report, config.secret]).toEqual([undefined, undefined, undefined]);
    expect(config.mailsPerMinute).toBe(120);
  });

  it('reads every variable', () => {
    const config = readServerConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      SITE_URL: 'https://reeks.gemeente.nl/',
      REEKS_DB_PATH: '/var/lib/reeks/site.db',
      REEKS_EVENTS_PER_MINUTE: '120',
      REEKS_MESSAGES_PER_HOUR: '5',
      REEKS_MESSAGE_RETENTION_DAYS: '30',
      REEKS_TRUSTED_PROXIES: ' 127.0.0.1, ::1 ,10.0.0.0/8,fd00::/8 ',
      REEKS_IPV6_PREFIX: '56',
      REEKS_BODY_TIMEOUT_SECONDS: '30',
      REEKS_FORM_SECRET: 'x'.repeat(32),
      STATS_USER: 'marketing',
      STATS_PASSWORD: password,
      SMTP_HOST: 'h',
      SMTP_FROM: 'f@x.nl',
      SMTP_SECURE: 'true',
      SMTP_USER: 'u',
      SMTP_PASSWORD: 'p',
      REEKS_WORKERS: '4',
    });
    expect(config).toEqual({
      port: 8080,
      host: '0.0.0.0',
      siteUrl: 'https://reeks.gemeente.nl',
      databasePath: '/var/lib/reeks/site.db',
      eventsPerMinute: 120,
      messagesPerHour: 5,
      messageRetentionDays: 30,
      trustedProxies: ['127.0.0.1', '::1', '10.0.0.0/8', 'fd00::/8'],
      ipv6Prefix: 56,
      bodyTimeoutSeconds: 30,
      secret: 'x'.repeat(32),
      secretFromOldName: true,
      mailsPerMinute: 120,
      report: { user: 'marketing', password },
      smtp: { host: 'h', port: 465, secure: true, from: 'f@x.nl', user: 'u', password: 'p' },
      workers: 4,
      reportMailTo: [],
      reportLinkGeneration: 1,
    });
    expect(readServerConfig({ SMTP_HOST: 'h', SMTP_FROM: 'f@x.nl' }).smtp).toEqual({
      host: 'h',
      port: 587,
      secure: false,
      from: 'f@x.nl',
    });
    expect(readServerConfig({ SMTP_HOST: 'h', SMTP_FROM: 'f@x.nl', SMTP_PORT: '2525' }).smtp?.port).toBe(
      2525,
    );
  });

  it("reads the report by e-mail, the authors' links and the tests' clock", () => {
    const smtp = { SMTP_HOST: 'h', SMTP_FROM: 'f@x.nl' };
    expect(readServerConfig({})).toMatchObject({ reportMailTo: [], reportLinkGeneration: 1 });
    expect(readServerConfig({}).reportMail).toBeUndefined();
    const config = readServerConfig({
      ...smtp,
      REEKS_REPORT_MAIL_TO: ' marketing@gemeente.nl, auteur@gemeente.nl ,',
      REEKS_REPORT_MAIL: 'Weekly',
      REEKS_REPORT_LINK_GENERATION: '3',
      REEKS_TEST_NOW: '2026-11-30T09:00:00Z',
    });
    expect(config).toMatchObject({
      reportMailTo: ['marketing@gemeente.nl', 'auteur@gemeente.nl'],
      reportMail: 'weekly',
      reportLinkGeneration: 3,
      testNow: new Date('2026-11-30T09:00:00Z'),
    });
    // The addresses alone: for `npm run stats -- --mail`, without a schedule.
    expect(readServerConfig({ REEKS_REPORT_MAIL_TO: 'a@b.nl' }).reportMailTo).toEqual(['a@b.nl']);
    for (const schedule of ['monthly', 'both'])
      expect(
        readServerConfig({ ...smtp, REEKS_REPORT_MAIL_TO: 'a@b.nl', REEKS_REPORT_MAIL: schedule }).reportMail,
      ).toBe(schedule);
  });

  it('stops with one line on a wrong report mail setting', () => {
    const smtp = { SMTP_HOST: 'h', SMTP_FROM: 'f@x.nl' };
    const wrong: [Record<string, string>, RegExp][] = [
      [{ REEKS_REPORT_MAIL_TO: 'marketing@gemeente.nl,geen-adres' }, /REEKS_REPORT_MAIL_TO.*"geen-adres"/],
      [{ REEKS_REPORT_MAIL_TO: 'a@b.nl\r\nBcc: c@d.nl' }, /REEKS_REPORT_MAIL_TO/],
      [
        { ...smtp, REEKS_REPORT_MAIL_TO: 'a@b.nl', REEKS_REPORT_MAIL: 'daily' },
        /REEKS_REPORT_MAIL must be weekly, monthly or both, not "daily"/,
      ],
      [{ ...smtp, REEKS_REPORT_MAIL: 'weekly' }, /REEKS_REPORT_MAIL is set but REEKS_REPORT_MAIL_TO is not/],
      [
        { REEKS_REPORT_MAIL_TO: 'a@b.nl', REEKS_REPORT_MAIL: 'weekly' },
        /REEKS_REPORT_MAIL is set but SMTP_HOST is not/,
      ],
      [{ REEKS_REPORT_LINK_GENERATION: '0' }, /REEKS_REPORT_LINK_GENERATION must be/],
      [{ REEKS_REPORT_LINK_GENERATION: 'twee' }, /REEKS_REPORT_LINK_GENERATION must be/],
      [{ REEKS_TEST_NOW: 'maandag' }, /REEKS_TEST_NOW must be an ISO moment/],
      [{ REEKS_TEST_NOW: '2026-11-30' }, /REEKS_TEST_NOW must be an ISO moment/],
    ];
    for (const [env, message] of wrong) {
      expect(() => readServerConfig(env)).toThrow(message);
      try {
        readServerConfig(env);
      } catch (error) {
        expect((error as Error).message).not.toContain('\n');
      }
    }
  });

  it('takes REEKS_SECRET over its old name, REEKS_FORM_SECRET', () => {
    const config = readServerConfig({ REEKS_SECRET: 'n'.repeat(32), REEKS_FORM_SECRET: 'o'.repeat(32) });
    expect([config.secret, config.secretFromOldName]).toEqual(['n'.repeat(32), undefined]);
  });

  describe('PostgreSQL', () => {
    const secret = 's'.repeat(32);
    const url = 'postgres://reeks:geheim@db.example.com:5433/reeks?sslmode=verify-full';

    it('is off without a URL, on with REEKS_DATABASE_URL, with a pool and a statement timeout', () => {
      expect(readServerConfig({}).postgres).toBeUndefined();
      expect(readServerConfig({ REEKS_DATABASE_URL: url, REEKS_SECRET: secret }).postgres).toEqual({
        url,
        variable: 'REEKS_DATABASE_URL',
        poolSize: 10,
        statementTimeoutMs: 5000,
      });
      expect(
        readServerConfig({
          REEKS_DATABASE_URL: 'postgresql://reeks@localhost/reeks',
          REEKS_SECRET: secret,
          REEKS_DATABASE_POOL: '25',
          REEKS_DATABASE_STATEMENT_TIMEOUT_MS: '30000',
        }).postgres,
      ).toEqual({
        url: 'postgresql://reeks@localhost/reeks',
        variable: 'REEKS_DATABASE_URL',
        poolSize: 25,
        statementTimeoutMs: 30_000,
      });
    });

    it('reads DATABASE_URL when REEKS_DATABASE_URL is unset, and REEKS_DATABASE_URL first', () => {
      const other = 'postgres://ander@elders/ander';
      expect(readServerConfig({ DATABASE_URL: other, REEKS_SECRET: secret }).postgres?.url).toBe(other);
      expect(
        readServerConfig({ DATABASE_URL: other, REEKS_DATABASE_URL: url, REEKS_SECRET: secret }).postgres
          ?.url,
      ).toBe(url);
    });

    it.each([
      [{ REEKS_DATABASE_URL: url }, /^REEKS_DATABASE_URL is set but REEKS_SECRET is not: every process/],
      [{ DATABASE_URL: url }, /^DATABASE_URL is set but REEKS_SECRET is not/],
      [
        { REEKS_DATABASE_URL: 'data/site.db' },
        /^REEKS_DATABASE_URL must be a postgres:\/\/ \(or postgresql:\/\/\) URL/,
      ],
      [{ REEKS_DATABASE_URL: 'mysql://u:p@h/d' }, /^REEKS_DATABASE_URL must be a postgres:\/\//],
      [
        { DATABASE_URL: 'mysql://u:p@h/d' },
        /^DATABASE_URL must be a postgres:\/\/.*\(or set REEKS_DATABASE_URL, which is read first\)\.$/,
      ],
      [{ REEKS_DATABASE_URL: 'postgres:///reeks' }, /^REEKS_DATABASE_URL must name the server's host/],
      [{ REEKS_DATABASE_URL: 'postgres://db.example.com/reeks' }, /^REEKS_DATABASE_URL must name the role/],
      [{ REEKS_DATABASE_URL: 'postgres://u:p@db.example.com' }, /^REEKS_DATABASE_URL must name the database/],
      [
        { REEKS_DATABASE_URL: 'postgres://u:p@h/d?sslmode=prefer' },
        /^REEKS_DATABASE_URL has sslmode=prefer, which falls back to an unencrypted connection/,
      ],
      [
        { REEKS_DATABASE_URL: 'postgres://u:p@h/d?sslmode=streng' },
        /^REEKS_DATABASE_URL has sslmode=streng; use one of/,
      ],
      [
        { REEKS_DATABASE_URL: 'postgres://u:p@h/d?sslmode=verify-ca' },
        /^REEKS_DATABASE_URL has sslmode=verify-ca without sslrootcert/,
      ],
      [{ REEKS_DATABASE_URL: 'postgres://u:p@h/d?ssl=true' }, /^REEKS_DATABASE_URL has the parameter "ssl"/],
      [
        { REEKS_DATABASE_URL: 'postgres://u:p@h/d?sslrootcert=/ca.pem' },
        /names certificates but has no sslmode/,
      ],
      [{ REEKS_DATABASE_URL: 'postgres://u:p@h/d?connect_timeout=10s' }, /has connect_timeout=10s/],
      [
        { REEKS_DATABASE_POOL: '0' },
        /^REEKS_DATABASE_POOL must be the connections .* from 1 to 100, not "0"/,
      ],
      [{ REEKS_DATABASE_POOL: '500' }, /^REEKS_DATABASE_POOL must be/],
      [
        { REEKS_DATABASE_STATEMENT_TIMEOUT_MS: '5s' },
        /^REEKS_DATABASE_STATEMENT_TIMEOUT_MS must be the milliseconds a database statement may run/,
      ],
    ])('stops on %o with one line, never the password', (env, error) => {
      expect(() => readServerConfig(env)).toThrow(error);
      try {
        readServerConfig(env);
      } catch (thrown) {
        expect((thrown as Error).message).not.toContain('\n');
        expect((thrown as Error).message).not.toMatch(/geheim|:p@/);
      }
    });
  });

  it.each([
    [{ PORT: 'http' }, /^PORT must be a port number, a whole number from 0 to 65535, not "http"/],
    [{ PORT: '70000' }, /^PORT must be a port number/],
    [{ PORT: '-1' }, /^PORT must be a port number/],
    [{ HOST: 'http://example.com' }, /^HOST must be a host name/],
    [
      { REEKS_MESSAGE_RETENTION_DAYS: '-5' },
      /^REEKS_MESSAGE_RETENTION_DAYS must be the days a message is kept, a whole number at least 1, not "-5"/,
    ],
    [{ REEKS_MESSAGE_RETENTION_DAYS: '0' }, /^REEKS_MESSAGE_RETENTION_DAYS/],
    [{ REEKS_MESSAGE_RETENTION_DAYS: '30 days' }, /^REEKS_MESSAGE_RETENTION_DAYS/],
    [{ REEKS_EVENTS_PER_MINUTE: '1.5' }, /^REEKS_EVENTS_PER_MINUTE/],
    [{ REEKS_MESSAGES_PER_HOUR: 'veel' }, /^REEKS_MESSAGES_PER_HOUR/],
    [
      { REEKS_TRUSTED_PROXIES: '1' },
      /^REEKS_TRUSTED_PROXIES names the proxies by address now, not by number \("1"\): write their addresses, e\.g\. REEKS_TRUSTED_PROXIES=127\.0\.0\.1,::1/,
    ],
    [
      { REEKS_TRUSTED_PROXIES: '0' },
      /^REEKS_TRUSTED_PROXIES names the proxies by address now.*unset it when no proxy/,
    ],
    [
      { REEKS_TRUSTED_PROXIES: '127.0.0.1,nginx' },
      /^REEKS_TRUSTED_PROXIES must be addresses or CIDR ranges separated by commas, and "nginx" is neither/,
    ],
    [{ REEKS_TRUSTED_PROXIES: '10.0.0.0/33' }, /^REEKS_TRUSTED_PROXIES .* "10\.0\.0\.0\/33" is neither/],
    [{ REEKS_TRUSTED_PROXIES: '::1/129' }, /^REEKS_TRUSTED_PROXIES .* "::1\/129" is neither/],
    [{ REEKS_TRUSTED_PROXIES: '10.0.0.1:80' }, /^REEKS_TRUSTED_PROXIES .* "10\.0\.0\.1:80" is neither/],
    [
      { REEKS_IPV6_PREFIX: '128' },
      /^REEKS_IPV6_PREFIX must be the bits of the IPv6 network counted as one client, a whole number from 48 to 64, not "128"/,
    ],
    [{ REEKS_IPV6_PREFIX: '32' }, /^REEKS_IPV6_PREFIX must be .* from 48 to 64/],
    [{ REEKS_IPV6_PREFIX: '/64' }, /^REEKS_IPV6_PREFIX must be/],
    [
      { REEKS_BODY_TIMEOUT_SECONDS: '0' },
      /^REEKS_BODY_TIMEOUT_SECONDS must be the seconds a request body may take to arrive, a whole number from 1 to 300/,
    ],
    [{ REEKS_BODY_TIMEOUT_SECONDS: '10s' }, /^REEKS_BODY_TIMEOUT_SECONDS must be/],
    [{ REEKS_FORM_SECRET: 'kort' }, /^REEKS_FORM_SECRET must be at least 32 characters/],
    [{ REEKS_SECRET: 'kort' }, /^REEKS_SECRET must be at least 32 characters/],
    [
      { REEKS_MAILS_PER_MINUTE: '0' },
      /^REEKS_MAILS_PER_MINUTE must be the mails the outbox sends per minute/,
    ],
    [
      { REEKS_WORKERS: '0' },
      /^REEKS_WORKERS must be the number of worker processes that serve the site, a whole number from 1 to 64, not "0"/,
    ],
    [{ REEKS_WORKERS: '65' }, /^REEKS_WORKERS must be .* from 1 to 64/],
    [{ REEKS_WORKERS: 'twee' }, /^REEKS_WORKERS must be/],
    [{ STATS_USER: 'marketing' }, /^STATS_USER is set but STATS_PASSWORD is not/],
    [{ STATS_PASSWORD: password }, /^STATS_PASSWORD is set but STATS_USER is not/],
    [{ STATS_USER: 'marketing', STATS_PASSWORD: 'a' }, /^STATS_PASSWORD must be at least 12 characters long/],
    [{ SMTP_HOST: 'h' }, /^SMTP_HOST is set but SMTP_FROM is not/],
    [{ SMTP_HOST: 'h', SMTP_FROM: 'f@x.nl', SMTP_PORT: 'smtp' }, /^SMTP_PORT must be a port number/],
    [{ SMTP_HOST: 'h', SMTP_FROM: 'f@x.nl', SMTP_PORT: '70000' }, /^SMTP_PORT/],
    [{ SMTP_HOST: 'h', SMTP_FROM: 'f@x.nl', SMTP_SECURE: 'ja' }, /^SMTP_SECURE must be true or false/],
    [{ SMTP_HOST: 'h', SMTP_FROM: 'f@x.nl', SMTP_USER: 'u' }, /^Set SMTP_USER and SMTP_PASSWORD together/],
  ])('stops on %o with one line naming the variable', (env, error) => {
    expect(() => readServerConfig(env)).toThrow(error);
    try {
      readServerConfig(env);
    } catch (thrown) {
      expect((thrown as Error).message).not.toContain('\n');
    }
  });
});
