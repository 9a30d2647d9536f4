// Which axis addresses eOffice talks to. The requests carry the agency's signed headers and the
// documents themselves; over plain http anyone on the way could read them (and replay a request
// within the timestamp's window). http:// is kept for this computer only: the reference axis, or a
// local gateway that does the TLS.
import { BlockList } from 'node:net';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  if (host === 'localhost') return true;
  // The URL parser has already turned 127.1, 0x7f000001 and the like into dotted quads; an
  // IPv4-mapped IPv6 address is checked against the IPv4 range.
  if (/^[\d.]+$/.test(host)) return LOOPBACK.check(host, 'ipv4');
  return host.includes(':') && LOOPBACK.check(host, 'ipv6');
}

/** Why eOffice will not use this axis address — its error code and an English sentence — or null when it will. */
export function axisEndpointIssue(endpoint: string): { code: 'AXIS_ENDPOINT_INVALID' | 'AXIS_ENDPOINT_INSECURE'; message: string } | null {
  const url = URL.canParse(endpoint) ? new URL(endpoint) : null;
  if (!url) return { code: 'AXIS_ENDPOINT_INVALID', message: `The axis endpoint "${endpoint}" is not a URL.` };
  if (url.protocol === 'https:') return null;
  if (url.protocol !== 'http:') return { code: 'AXIS_ENDPOINT_INSECURE', message: `The axis endpoint must be an https URL, not "${endpoint}".` };
  if (isLoopbackHost(url.hostname)) return null;
  return {
    code: 'AXIS_ENDPOINT_INSECURE',
    message: `The axis endpoint must use https://: "${endpoint}" would send the signed requests and the documents unencrypted. http:// is accepted only for this computer (127.0.0.1, ::1, localhost).`,
  };
}

/** The same, as the one English sentence the CLI prints. */
export function axisEndpointProblem(endpoint: string): string | null {
  return axisEndpointIssue(endpoint)?.message ?? null;
}
