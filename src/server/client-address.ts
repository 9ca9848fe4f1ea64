// Who is asking, for every rate limit (the collector, the message form, the report's login).
// Behind reverse proxies the socket address is the nearest proxy's; the reader's address is in
// X-Forwarded-For, where each proxy appends the address it saw. Only our own proxies, named by
// address in REEKS_TRUSTED_PROXIES, are believed: X-Forwarded-For is read only when the socket's
// peer is one of them, and walked from the right past their entries, as nginx's
// real_ip_recursive does. Anything further left was written by the client and may be made up.
//
// A client is then counted as an IPv4 address, or as the IPv6 network it is in (a /64 by
// default): one machine is handed a whole /64, so counting its addresses one by one would let it
// be as many clients as it likes.
import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** An address as the limiter counts it: IPv4 dotted, or IPv6 as eight 16-bit groups. */
type Parsed = { family: 'ipv4'; address: string } | { family: 'ipv6'; groups: number[] };

/** "a.b.c.d" from the last 32 bits of an IPv6 address. */
const dotted = (high: number, low: number) => `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;

function ipv6Groups(address: string): number[] | undefined {
  let text = address;
  // An IPv4 tail (::ffff:192.0.2.1) is two groups.
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  const part = (half: string) => (half === '' ? [] : half.split(':').map((group) => parseInt(group, 16)));
  const head = part(halves[0]!);
  const rest = halves.length === 2 ? part(halves[1]!) : [];
  const groups =
    halves.length === 2 ? [...head, ...Array<number>(8 - head.length - rest.length).fill(0), ...rest] : head;
  return groups.length === 8 && groups.every((group) => group >= 0 && group <= 0xffff) ? groups : undefined;
}

/**
 * An IP address in any of the forms a socket or a proxy writes it (with a zone, in brackets,
 * with a port), or undefined when it is none. An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is
 * that IPv4 address.
 */
function parse(text: string): Parsed | undefined {
  let address = text.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1]!;
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(':'));
  address = address.replace(/%.*$/, '');
  if (isIPv4(address)) return { family: 'ipv4', address };
  if (!isIPv6(address)) return undefined;
  const groups = ipv6Groups(address.toLowerCase());
  if (!groups) return undefined;
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff)
    return { family: 'ipv4', address: dotted(groups[6]!, groups[7]!) };
  return { family: 'ipv6', groups };
}

const ipv6Text = (groups: readonly number[]) => groups.map((group) => group.toString(16)).join(':');

/** The address in the form BlockList checks and logs show: mapped IPv4 as IPv4, IPv6 in full. */
export function normalAddress(text: string): string | undefined {
  const parsed = parse(text);
  if (!parsed) return undefined;
  return parsed.family === 'ipv4' ? parsed.address : ipv6Text(parsed.groups);
}

/** The prefixes an operator may count IPv6 clients by (REEKS_IPV6_PREFIX). */
export const ipv6PrefixRange = { min: 48, max: 64, fallback: 64 } as const;

/**
 * What the rate limits count: an IPv4 address itself, an IPv6 address as its network of
 * `ipv6Prefix` bits ("2001:db8:1:2::/64"). Anything that is not an address is counted as it is.
 */
export function clientKey(address: string, ipv6Prefix: number = ipv6PrefixRange.fallback): string {
  const parsed = parse(address);
  if (!parsed) return address;
  if (parsed.family === 'ipv4') return parsed.address;
  const network = parsed.groups.map((group, index) => {
    const bits = Math.min(16, Math.max(0, ipv6Prefix - index * 16));
    return bits === 0 ? 0 : group & (0xffff << (16 - bits)) & 0xffff;
  });
  return `${ipv6Text(network.slice(0, Math.ceil(ipv6Prefix / 16)))}::/${ipv6Prefix}`;
}

/**
 * One entry of REEKS_TRUSTED_PROXIES, an address or a CIDR range ("10.0.0.0/8", "fd00::/8"),
 * as [address, prefix length, family]; undefined when it is neither.
 */
export function parseProxyRange(entry: string): [string, number, 'ipv4' | 'ipv6'] | undefined {
  const [address = '', prefix, ...more] = entry.trim().split('/');
  if (more.length > 0) return undefined;
  const parsed = parse(address);
  if (!parsed || address.includes('[') || /^\d+\.\d+\.\d+\.\d+:/.test(address)) return undefined;
  const max = parsed.family === 'ipv4' ? 32 : 128;
  if (prefix !== undefined && !/^\d{1,3}$/.test(prefix)) return undefined;
  const bits = prefix === undefined ? max : Number(prefix);
  // A mapped IPv4 range (::ffff:10.0.0.0/104) is the IPv4 range it maps.
  const mapped = parsed.family === 'ipv4' && isIPv6(address);
  const ownBits = mapped ? bits - 96 : bits;
  if (ownBits < 0 || ownBits > max) return undefined;
  return parsed.family === 'ipv4'
    ? [parsed.address, ownBits, 'ipv4']
    : [ipv6Text(parsed.groups), ownBits, 'ipv6'];
}

/** The proxies whose X-Forwarded-For is believed, from REEKS_TRUSTED_PROXIES's checked entries. */
export function trustedProxies(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const range = parseProxyRange(entry);
    if (!range) throw new Error(`not an address or CIDR range: ${entry}`);
    list.addSubnet(...range);
  }
  return list;
}

const trusted = (proxies: BlockList, address: string) =>
  proxies.check(address, isIPv4(address) ? 'ipv4' : 'ipv6');

/**
 * The client's address. A socket peer that is not a trusted proxy is the client, whatever it
 * sent. From a trusted proxy, X-Forwarded-For is walked from the right: the first entry that is
 * not a trusted proxy is the client; an entry that is not an address stops the walk at the proxy
 * that wrote it; when every entry is a trusted proxy, the leftmost is the client.
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | null | undefined,
  proxies: BlockList,
): string {
  const peer = socketAddress === undefined ? undefined : normalAddress(socketAddress);
  if (peer === undefined) return socketAddress ?? 'unknown';
  if (!forwardedFor || !trusted(proxies, peer)) return peer;
  const hops = forwardedFor.split(',');
  let client = peer;
  for (let index = hops.length - 1; index >= 0; index--) {
    if (!hops[index]!.trim()) continue;
    const hop = normalAddress(hops[index]!);
    if (hop === undefined) break;
    client = hop;
    if (!trusted(proxies, hop)) break;
  }
  return client;
}
