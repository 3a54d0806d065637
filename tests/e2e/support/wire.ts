/**
 * SIP as it crossed the loopback wire: tshark captures the registrar's port (the bench's capture
 * helper) and the datagrams are read back as the same message records our --sip-trace gives, so
 * the interop readers (re-INVITEs, SDP directions) apply to both.
 */
import { join } from 'node:path';
import { readPcapUdp } from '../../../bench/support/pcap.js';
import { startCapture, type Capture } from '../../../bench/support/rtp-capture.js';
import type { TracedMessage } from '../../interop/support/call-control.js';

/** Starts capturing UDP to and from `port` (the registrar/proxy every message goes through). */
export function captureSip(dir: string, port: number): Promise<Capture> {
  return startCapture(join(dir, `sip-${port}-${Date.now()}.pcap`), `udp port ${port}`);
}

/** The SIP messages in a capture, seen from the UA at `ourPort`: 'out' what it sent, 'in' what it got. */
export function sipOnWire(file: string, ourPort: number): TracedMessage[] {
  const out: TracedMessage[] = [];
  for (const d of readPcapUdp(file)) {
    if (d.srcPort !== ourPort && d.dstPort !== ourPort) continue;
    const text = Buffer.from(d.payload).toString('utf8');
    const firstLine = text.split(/\r?\n/, 1)[0]!;
    if (!/^(SIP\/2\.0 \d{3} |[A-Z]+ \S+ SIP\/2\.0$)/.test(firstLine)) continue; // keep-alives
    out.push({ dir: d.srcPort === ourPort ? 'out' : 'in', firstLine, text });
  }
  return out;
}
