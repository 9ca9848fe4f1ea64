import { describe, expect, it } from 'vitest';
import {
  clientAddress,
  clientKey,
  normalAddress,
  parseProxyRange,
  trustedProxies,
} from './client-address.ts';

const none = trustedProxies([]);
const local = trustedProxies(['127.0.0.1', '::1']);

describe('clientAddress', () => {
  it('is the socket address without trusted proxies, whatever X-Forwarded-For says', () => {
    expect(clientAddress('203.0.113.7', '198.51.100.1', none)).toBe('203.0.113.7');
    expect(clientAddress('127.0.0.1', '198.51.100.1', none)).toBe('127.0.0.1');
    expect(clientAddress(undefined, null, none)).toBe('unknown');
  });

  it('is the socket address of a peer that is no trusted proxy, whatever it writes', () => {
    for (const written of ['198.51.100.1', '127.0.0.1', '10.0.0.1, 127.0.0.1'])
      expect(clientAddress('203.0.113.7', written, local)).toBe('203.0.113.7');
  });

  it('is the address the trusted proxy saw, never an entry the reader wrote before it', () => {
    // The reader sent "X-Forwarded-For: 1.2.3.4"; nginx appended the address it saw.
    expect(clientAddress('127.0.0.1', '1.2.3.4, 203.0.113.7', local)).toBe('203.0.113.7');
    expect(clientAddress('::1', '203.0.113.7', local)).toBe('203.0.113.7');
    expect(clientAddress('::ffff:127.0.0.1', '2001:db8::7', local)).toBe('2001:db8:0:0:0:0:0:7');
  });

  it('walks from the right past every trusted proxy, as nginx’s real_ip_recursive does', () => {
    const proxies = trustedProxies(['10.0.0.0/8', 'fd00::/8']);
    // reader → load balancer (appends the reader) → nginx (appends the load balancer) → us
    expect(clientAddress('10.0.0.2', '6.6.6.6, 203.0.113.7, 10.0.0.1', proxies)).toBe('203.0.113.7');
    expect(clientAddress('10.0.0.2', ' 203.0.113.7 ,fd00::1 ', proxies)).toBe('203.0.113.7');
    // Every entry a proxy of ours: the leftmost is the client.
    expect(clientAddress('10.0.0.2', '10.9.9.9, 10.0.0.1', proxies)).toBe('10.9.9.9');
    // Nothing forwarded: the proxy itself asked.
    expect(clientAddress('10.0.0.2', null, proxies)).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.2', ' , ', proxies)).toBe('10.0.0.2');
  });

  it('stops at an entry that is no address, at the proxy that passed it on', () => {
    const proxies = trustedProxies(['10.0.0.0/8']);
    expect(clientAddress('10.0.0.2', '203.0.113.7, unknown, 10.0.0.1', proxies)).toBe('10.0.0.1');
    expect(clientAddress('10.0.0.2', '::::', proxies)).toBe('10.0.0.2');
  });

  it('reads the forms proxies write: with a port, in brackets, mapped IPv4', () => {
    expect(clientAddress('127.0.0.1', '203.0.113.7:51234', local)).toBe('203.0.113.7');
    expect(clientAddress('127.0.0.1', '[2001:db8::1]:443', local)).toBe('2001:db8:0:0:0:0:0:1');
    expect(clientAddress('127.0.0.1', '::ffff:203.0.113.7', local)).toBe('203.0.113.7');
  });
});

describe('normalAddress', () => {
  it('writes IPv4-mapped IPv6 addresses as IPv4, in dotted and hexadecimal form', () => {
    expect(normalAddress('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(normalAddress('::FFFF:c000:0201')).toBe('192.0.2.1');
    expect(normalAddress('0:0:0:0:0:ffff:192.0.2.1')).toBe('192.0.2.1');
  });

  it('writes IPv6 in full, and refuses what is no address', () => {
    expect(normalAddress('2001:DB8::1')).toBe('2001:db8:0:0:0:0:0:1');
    expect(normalAddress('fe80::1%eth0')).toBe('fe80:0:0:0:0:0:0:1');
    expect(normalAddress('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0:0:0:c000:201');
    for (const wrong of ['', 'unknown', '::::', '1.2.3', '300.1.1.1', '2001:db8::1::2'])
      expect(normalAddress(wrong), wrong).toBeUndefined();
  });
});

describe('clientKey', () => {
  it('counts an IPv4 address as itself, also written as IPv6', () => {
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts IPv6 addresses per /64 by default: all of one /64 are one client', () => {
    const keys = new Set(
      Array.from({ length: 80 }, (_, i) => clientKey(`2001:db8:1:2:${i.toString(16)}::${i + 1}`)),
    );
    expect([...keys]).toEqual(['2001:db8:1:2::/64']);
    expect(clientKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
  });

  it('counts per /48 or /56 when set', () => {
    expect(clientKey('2001:db8:1:2::1', 48)).toBe('2001:db8:1::/48');
    expect(clientKey('2001:db8:1:ff::1', 56)).toBe('2001:db8:1:0::/56');
    expect(clientKey('2001:db8:1:1ff::1', 56)).toBe('2001:db8:1:100::/56');
  });

  it('keeps what is no address as it is', () => {
    expect(clientKey('unknown')).toBe('unknown');
  });
});

describe('REEKS_TRUSTED_PROXIES entries', () => {
  it('takes addresses and CIDR ranges of both families', () => {
    expect(parseProxyRange('127.0.0.1')).toEqual(['127.0.0.1', 32, 'ipv4']);
    expect(parseProxyRange('10.0.0.0/8')).toEqual(['10.0.0.0', 8, 'ipv4']);
    expect(parseProxyRange('::1')).toEqual(['0:0:0:0:0:0:0:1', 128, 'ipv6']);
    expect(parseProxyRange('2001:db8::/32')).toEqual(['2001:db8:0:0:0:0:0:0', 32, 'ipv6']);
    expect(parseProxyRange('::ffff:10.0.0.0/104')).toEqual(['10.0.0.0', 8, 'ipv4']);
  });

  it('refuses anything else', () => {
    for (const wrong of [
      '1',
      'nginx',
      '10.0.0.0/33',
      '10.0.0.0/',
      '10.0.0.0/8/8',
      '::1/129',
      '10.0.0.1:80',
      '[::1]',
    ])
      expect(parseProxyRange(wrong), wrong).toBeUndefined();
  });

  it('trusts every address in a range, IPv4 peers written as IPv6 too', () => {
    const proxies = trustedProxies(['10.0.0.0/8', '2001:db8::/32']);
    expect(clientAddress('10.200.3.4', '203.0.113.7', proxies)).toBe('203.0.113.7');
    expect(clientAddress('::ffff:10.200.3.4', '203.0.113.7', proxies)).toBe('203.0.113.7');
    expect(clientAddress('2001:db8:ffff::1', '203.0.113.7', proxies)).toBe('203.0.113.7');
    expect(clientAddress('11.0.0.1', '203.0.113.7', proxies)).toBe('11.0.0.1');
    expect(clientAddress('2001:db9::1', '203.0.113.7', proxies)).toBe('2001:db9:0:0:0:0:0:1');
  });
});
