/**
 * Messages between the host thread and the media worker. Plain structured-clone data; the
 * worker owns sockets, codecs, jitter buffers and devices, so no UI, IPC, disk or SQLite work on
 * the host can delay a packet or starve a device.
 */
import type { CodecName } from '../codecs/codec.js';

export type StreamDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** What offer/answer negotiated for one call's audio stream. */
export interface StreamConfig {
  remoteAddress: string;
  remotePort: number;
  remoteRtcpPort: number;
  rtcpMux: boolean;
  codec: CodecName;
  payloadType: number;
  telephoneEventPt: number | undefined;
  ptime: number;
  /** Our direction: whether we send and whether we play what arrives. */
  direction: StreamDirection;
  srtp: { suite: string; localKey: string; remoteKey: string } | undefined;
}

export type LocalTone = 'none' | 'ringback' | 'busy' | 'call-waiting';

export interface DeviceSelection {
  kind: 'portaudio' | 'file' | 'null';
  /** PortAudio device names (fall back to the default when missing). */
  input?: string;
  output?: string;
  /** File device: WAV to use as the microphone (looped) and WAV to record the speaker into. */
  playFile?: string;
  recFile?: string;
  /** PortAudio device for the ringer (a loudspeaker while the headset is the call device). */
  ring?: string;
  /** WAV played, looped, while an incoming call rings. */
  ringtone?: string;
}

export type HostToWorker =
  | { type: 'open-devices'; id: number; devices: DeviceSelection }
  | { type: 'close-devices'; id: number }
  | { type: 'allocate'; id: number; stream: string; address: string; port?: number }
  | { type: 'start'; id: number; stream: string; config: StreamConfig }
  | { type: 'update'; id: number; stream: string; config: StreamConfig }
  | { type: 'tone'; stream: string; tone: LocalTone }
  | { type: 'dtmf'; stream: string; digits: string }
  | { type: 'ring'; on: boolean }
  /** Bridge these streams into a local conference (an empty list ends it). */
  | { type: 'conference'; streams: string[] }
  | { type: 'mute'; muted: boolean }
  | { type: 'stop'; id: number; stream: string }
  | { type: 'list-devices'; id: number }
  | { type: 'shutdown'; id: number };

export interface StreamStats {
  codec: CodecName;
  packetsSent: number;
  packetsReceived: number;
  /** Cumulative loss as seen by us (RFC 3550 A.3), percent. */
  lossPercent: number;
  /** Interarrival jitter (RFC 3550 A.8), ms. */
  jitterMs: number;
  /** From RTCP SR/RR (RFC 3550 §6.4.1), ms; undefined until measured. */
  rttMs: number | undefined;
  /** E-model estimate (ITU-T G.107). */
  mos: number;
  concealedMs: number;
  lateLossPercent: number;
}

export type WorkerToHost =
  | { type: 'reply'; id: number; ok: true; value?: unknown }
  | { type: 'reply'; id: number; ok: false; error: string }
  | { type: 'dtmf'; stream: string; digit: string }
  | { type: 'no-rtp'; stream: string; seconds: number }
  /** The stream's per-frame or per-packet work threw: the worker ended that stream (only it). */
  | { type: 'stream-failed'; stream: string; reason: string }
  | { type: 'stats'; stream: string; stats: StreamStats }
  | { type: 'level'; inputDb: number; outputDb: number }
  | { type: 'device'; event: 'lost' | 'fallback'; detail: string };
