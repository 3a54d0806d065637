/**
 * Bounds every SDP we read before any parser sees it (RFC 4566 §5 grammar, our limits): whole
 * size, line count and length (so every attribute value is bounded), at most 16 m= lines and 32
 * formats per line, ports 0–65535 (RFC 4566 §5.14), RTP payload types 0–127 (RFC 3551 §3).
 * Pure and linear in the input: nothing in an SDP can make reading it slow.
 */
import { problem, WARN, type SdpProblem } from './sdp-problem.js';

export const SDP_LIMITS = {
  /** Whole body [octets]: a one-stream offer is ~500; SBC offers with ICE stay under 8 KiB. */
  maxOctets: 16 * 1024,
  /** Lines in the body. */
  maxLines: 512,
  /** One line, i.e. one attribute value [octets]. */
  maxLineOctets: 1024,
  maxMediaLines: 16,
  maxFormats: 32,
} as const;

/** §5.14: m=<media> <port>[/<number of ports>] <proto> <fmt> ... */
const M_LINE = /^m=([A-Za-z0-9_.!%*+`'~-]+) ([0-9]{1,5})(?:\/([0-9]{1,5}))? ([A-Za-z0-9/_.-]+)((?: [^ ]+)+)$/;
/** §5: <type>=<value>, type one lower-case letter. */
const LINE = /^[a-z]=/;
const RTP_PROTO = /^(?:UDP\/TLS\/)?RTP\/S?AVPF?$/;

/** undefined when the text is within bounds and every m= line is well formed. */
export function checkSdpText(text: string): SdpProblem | undefined {
  if (text.length > SDP_LIMITS.maxOctets) return problem(WARN.parameter, `SDP larger than ${SDP_LIMITS.maxOctets} octets`);
  const lines = text.split('\n');
  if (lines.length > SDP_LIMITS.maxLines) return problem(WARN.parameter, `SDP has more than ${SDP_LIMITS.maxLines} lines`);
  let mediaLines = 0;
  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') continue;
    if (line.length > SDP_LIMITS.maxLineOctets) return problem(WARN.parameter, `SDP line longer than ${SDP_LIMITS.maxLineOctets} octets`);
    if (!LINE.test(line)) return problem(WARN.parameter, 'SDP line is not <type>=<value>');
    if (line[0] !== 'm') continue;
    if (++mediaLines > SDP_LIMITS.maxMediaLines) return problem(WARN.parameter, `more than ${SDP_LIMITS.maxMediaLines} m= lines`);
    const bad = checkMediaLine(line);
    if (bad) return bad;
  }
  return undefined;
}

function checkMediaLine(line: string): SdpProblem | undefined {
  const m = M_LINE.exec(line);
  if (!m) return problem(WARN.parameter, 'malformed m= line');
  if (Number(m[2]) > 65535) return problem(WARN.parameter, 'm= port out of range 0-65535');
  const formats = m[5]!.trim().split(' ');
  if (formats.length > SDP_LIMITS.maxFormats) return problem(WARN.parameter, `more than ${SDP_LIMITS.maxFormats} formats in an m= line`);
  if (RTP_PROTO.test(m[4]!) && formats.some((f) => !/^[0-9]{1,3}$/.test(f) || Number(f) > 127)) {
    return problem(WARN.parameter, 'RTP payload type out of range 0-127');
  }
  return undefined;
}
