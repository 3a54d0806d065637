/**
 * Messages between the host thread and the media worker. Plain structured-clone data; the
 * worker owns sockets, codecs, jitter buffers and devices, so no UI, IPC, disk or SQLite work on
 * the host can delay a packet or starve a device.
 */
import type { CodecName } from '../codecs/codec.js';
import type { AudioDeviceInfo } from '../devices/audio-device.js';
import type { ProcessingSettings } from '../processing/capture-processor.js';
import type { CallStats } from '../../contract/calls.js';

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
  /** Ring on the call output (the speaker) as well as on `ring` ("ring on the speaker as well"). */
  ringOnOutput?: boolean;
  /** WAV played, looped, while an incoming call rings. */
  ringtone?: string;
  /** Capture processing while these devices are open (echo canceller, noise suppression, gain); none: off. */
  processing?: ProcessingSettings;
  /**
   * Report microphone and speaker levels to the host (default true). A host that shows no meter
   * (the CLI) turns them off: each report is a message across threads (issue 10: CPU per call).
   */
  levels?: boolean;
}

/**
 * Requests that get a reply, each with what it carries and what its reply carries: the one map
 * both sides are typed from (the host's `request(type, body)` resolves with that reply's type).
 */
export interface EngineRequests {
  'open-devices': { body: { devices: DeviceSelection }; reply: void };
  'close-devices': { body: Record<never, never>; reply: void };
  /**
   * New capture processing for the devices already open (a setting changed during a call): the
   * worker rebuilds the stage off the audio path, frames pass untouched meanwhile. With no devices
   * open it is kept for the next opening's frames, which open-devices' own settings replace.
   */
  'set-processing': { body: { processing: ProcessingSettings }; reply: void };
  /** Binds the stream's RTP socket; replies with its port. */
  allocate: { body: { stream: string; address: string; port?: number }; reply: number };
  start: { body: { stream: string; config: StreamConfig }; reply: void };
  update: { body: { stream: string; config: StreamConfig }; reply: void };
  /** Ends the stream; replies with its final statistics. */
  stop: { body: { stream: string }; reply: StreamStats | undefined };
  'list-devices': { body: Record<never, never>; reply: AudioDeviceInfo[] };
  shutdown: { body: Record<never, never>; reply: void };
}

/** Messages without a reply. */
export interface EngineNotices {
  tone: { stream: string; tone: LocalTone };
  dtmf: { stream: string; digits: string };
  ring: { on: boolean };
  /** Bridge these streams into a local conference (an empty list ends it). */
  conference: { streams: string[] };
  mute: { muted: boolean };
}

export type RequestType = keyof EngineRequests;
export type RequestBody<K extends RequestType> = EngineRequests[K]['body'];
export type Reply<K extends RequestType> = EngineRequests[K]['reply'];
/** One request on the wire: its type, the id its reply names, and its body's fields. */
export type RequestMessage<K extends RequestType = RequestType> = { [T in K]: { type: T; id: number } & RequestBody<T> }[K];
/** A request before the host gives it an id. */
export type RequestDraft = { [T in RequestType]: { type: T } & RequestBody<T> }[RequestType];
export type NoticeMessage = { [T in keyof EngineNotices]: { type: T } & EngineNotices[T] }[keyof EngineNotices];
export type HostToWorker = RequestMessage | NoticeMessage;

/** A request's answer: `to` names the request type, so the host checks it before resolving. */
export interface OkReply<K extends RequestType = RequestType> { type: 'reply'; id: number; ok: true; to: K; value: Reply<K> }
export type ReplyMessage = OkReply | { type: 'reply'; id: number; ok: false; error: string };

/** A stream's figures as the worker reports them: the contract's CallStats (units, RFCs) with the codec's own name; the host adds ICE. */
export type StreamStats = Omit<CallStats, 'codec' | 'ice'> & { codec: CodecName };

export type WorkerToHost =
  | ReplyMessage
  | { type: 'dtmf'; stream: string; digit: string }
  | { type: 'no-rtp'; stream: string; seconds: number }
  /** The stream's per-frame or per-packet work threw: the worker ended that stream (only it). */
  | { type: 'stream-failed'; stream: string; reason: string }
  | { type: 'stats'; stream: string; stats: StreamStats }
  | { type: 'level'; inputDb: number; outputDb: number }
  | { type: 'device'; event: 'lost' | 'fallback'; detail: string }
  /**
   * Echo stays high with separate microphone and speaker devices (issue 17): the canceller has not
   * removed the speaker from the microphone for ECHO_HIGH_SECONDS of far-end speech. Once per
   * opening of the devices.
   */
  | { type: 'echo-high'; input: string; output: string; echoRemovedDb: number };
