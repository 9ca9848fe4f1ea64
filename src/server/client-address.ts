// Who is asking, for every rate limit (the collector, the message form, the report's login).
// Behind reverse proxies the socket address is the nearest proxy's; the reader's address is in
// X-Forwarded-For, where each proxy appends the address it saw. Only the entries our own proxies
// appended can be trusted: anything to their left was written by the client and may be made up.

/**
 * The client's address: with `trustedProxies` = 0 the socket's; with N, the entry N hops from the
 * right of X-Forwarded-For (the address the outermost of our proxies saw). A request with fewer
 * entries than that did not come through all our proxies: its socket address is used.
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | null | undefined,
  trustedProxies: number,
): string {
  if (trustedProxies === 0) return socketAddress ?? 'unknown';
  const hops = (forwardedFor ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return hops.length >= trustedProxies ? hops[hops.length - trustedProxies]! : (socketAddress ?? 'unknown');
}
