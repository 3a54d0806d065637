/** Audio devices for the media engine: the contract, PortAudio, file and null devices, resampling. */
export * from './audio-device.js';
export { PortAudioCapture, PortAudioPlayback, PaState, listDevices, type PortAudioOptions, type PortAudioPlaybackOptions } from './portaudio-device.js';
export { FileCapture, FilePlayback, type FileCaptureOptions, type FilePlaybackOptions } from './file-device.js';
export { NullCapture, NullPlayback } from './null-device.js';
export { PacedCapture, PacedPlayback, PacedDuplex } from './paced-device.js';
export { Resampler } from '../dsp/resampler.js';
export { resampleOffline } from '../dsp/offline-resample.js';
export { loadWavMono, decodeWavMono } from './wav-source.js';
export { WavFileWriter } from './wav-writer.js';
export { LevelMeter, SILENCE_DBFS } from './level-meter.js';
