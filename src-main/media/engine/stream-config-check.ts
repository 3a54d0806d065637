/**
 * The worker's own check of a stream configuration before it touches a socket or a codec: the
 * host validated the SDP already (media/sdp), but nothing from the host can make the worker send
 * to a host name (a DNS lookup per packet), to an impossible port (ERR_SOCKET_BAD_PORT inside the
 * capture callback) or spin on a zero packet time.
 */
import { isIP } from 'node:net';
import { codecByName } from '../codecs/registry.js';
import { isSrtpSuiteName, SRTP_SUITES } from '../srtp/crypto-suite.js';
import type { StreamConfig } from './protocol.js';

const isPort = (p: unknown) => Number.isInteger(p) && (p as number) >= 1 && (p as number) <= 65535;
const isPayloadType = (pt: unknown) => Number.isInteger(pt) && (pt as number) >= 0 && (pt as number) <= 127;

/** undefined when the configuration is safe to run, else what is wrong with it. */
export function checkStreamConfig(c: StreamConfig): string | undefined {
  if (isIP(c.remoteAddress) === 0) return 'remote address is not an IP literal';
  if (!isPort(c.remotePort) || !isPort(c.remoteRtcpPort)) return 'remote port out of range 1-65535';
  const codec = codecByName(c.codec);
  if (!codec) return `unknown codec ${c.codec}`;
  // RFC 4566 §6 ptime, clamped by the SDP side to 10-120 ms and a frame the codec has.
  if (!(c.ptime >= 10 && c.ptime <= 120 && codec.ptimes.includes(c.ptime))) return `ptime ${c.ptime} ms is not a ${c.codec} frame of 10-120 ms`;
  if (!isPayloadType(c.payloadType) || (c.telephoneEventPt !== undefined && !isPayloadType(c.telephoneEventPt))) return 'payload type out of range 0-127';
  if (c.srtp) {
    if (!isSrtpSuiteName(c.srtp.suite)) return `unknown SRTP suite ${c.srtp.suite}`;
    const s = SRTP_SUITES[c.srtp.suite];
    for (const key of [c.srtp.localKey, c.srtp.remoteKey]) {
      if (Buffer.from(key, 'base64').length !== s.keyLength + s.saltLength) return 'SRTP master key||salt of the wrong length';
    }
  }
  return undefined;
}
