import { describe, expect, it } from 'vitest';
import { describePostgres, parsePostgresUrl } from './postgres-url.ts';

describe('parsePostgresUrl', () => {
  it('reads the parts, with the defaults of libpq for port and sslmode', () => {
    expect(parsePostgresUrl('postgres://reeks:ge%40heim@db.example.com/reeks')).toEqual({
      host: 'db.example.com',
      port: 5432,
      user: 'reeks',
      password: 'ge@heim',
      database: 'reeks',
      sslMode: 'disable',
    });
    expect(
      parsePostgresUrl(
        'postgresql://reeks@[::1]:5433/site?sslmode=verify-ca&sslrootcert=/etc/ca.pem&sslcert=/c.pem&sslkey=/k.pem&application_name=reeks-1&connect_timeout=3',
      ),
    ).toEqual({
      host: '::1',
      port: 5433,
      user: 'reeks',
      database: 'site',
      sslMode: 'verify-ca',
      sslRootCert: '/etc/ca.pem',
      sslCert: '/c.pem',
      sslKey: '/k.pem',
      applicationName: 'reeks-1',
      connectTimeoutSeconds: 3,
    });
  });

  it.each(['disable', 'no-verify', 'require', 'verify-full'])('takes sslmode=%s', (mode) => {
    expect(parsePostgresUrl(`postgres://u@h/d?sslmode=${mode}`).sslMode).toBe(mode);
  });

  it.each([
    ['postgres://u@h/d?sslmode=allow', /sslmode=allow, which falls back to an unencrypted connection/],
    ['postgres://u@h/d?sslmode=verify-ca&sslrootcert=system', /verify-ca without sslrootcert/],
    ['postgres://u@h/d?sslmode=require&sslcert=/c.pem', /sslcert and sslkey together/],
    ['postgres://u@h/a/b', /must name the database/],
  ])('refuses %s', (url, problem) => {
    expect(() => parsePostgresUrl(url)).toThrow(problem);
  });
});

describe('describePostgres', () => {
  it('shows where and how, without the password', () => {
    expect(describePostgres('postgres://reeks:geheim@db.example.com/reeks')).toBe(
      'postgres://reeks@db.example.com:5432/reeks?sslmode=disable',
    );
    expect(describePostgres('postgresql://reeks:geheim@[::1]:5433/reeks?sslmode=require')).toBe(
      'postgres://reeks@[::1]:5433/reeks?sslmode=require',
    );
  });

  it('hides the password of a URL it does not accept too', () => {
    expect(describePostgres('postgres://reeks:geheim@db.example.com/reeks?ssl=true')).toBe(
      'postgres://reeks@db.example.com/reeks?ssl=true',
    );
  });
});
