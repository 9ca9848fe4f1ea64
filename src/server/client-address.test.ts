import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address.ts';

describe('clientAddress', () => {
  it('is the socket address without proxies, whatever X-Forwarded-For says', () => {
    expect(clientAddress('203.0.113.7', '198.51.100.1', 0)).toBe('203.0.113.7');
    expect(clientAddress(undefined, null, 0)).toBe('unknown');
  });

  it('is the address the one proxy saw, never an entry the reader wrote before it', () => {
    // The reader sent "X-Forwarded-For: 1.2.3.4"; nginx appended the address it saw.
    expect(clientAddress('127.0.0.1', '1.2.3.4, 203.0.113.7', 1)).toBe('203.0.113.7');
    expect(clientAddress('127.0.0.1', '203.0.113.7', 1)).toBe('203.0.113.7');
  });

  it('counts N hops from the right behind N proxies', () => {
    // reader → load balancer (appends the reader) → nginx (appends the load balancer) → us
    expect(clientAddress('10.0.0.2', '6.6.6.6, 203.0.113.7, 10.0.0.1', 2)).toBe('203.0.113.7');
    expect(clientAddress('10.0.0.2', ' 203.0.113.7 ,10.0.0.1 ', 2)).toBe('203.0.113.7');
  });

  it('falls back to the socket address when the request did not pass every proxy', () => {
    expect(clientAddress('10.0.0.2', '203.0.113.7', 2)).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.2', null, 1)).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.2', ' , ', 1)).toBe('10.0.0.2');
  });
});
