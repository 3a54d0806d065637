/**
 * The HID usages headset call control speaks, named as the USB HID Usage Tables (HUT 1.5) name
 * them: Telephony Device page 0x0B (§14) and LED page 0x08 (§11). An extended usage is
 * `page << 16 | id`, as WebHID's `HIDReportItem.usages` carries it.
 */

export const UsagePage = { genericDesktop: 0x01, led: 0x08, button: 0x09, telephony: 0x0b } as const;

export const usage = (page: number, id: number): number => ((page << 16) | id) >>> 0;
export const usagePageOf = (extended: number): number => extended >>> 16;
export const usageIdOf = (extended: number): number => extended & 0xffff;

/** Controls a headset reports (device → host). HUT §14: all On/Off Controls (OOC) or One Shot (OSC). */
export const inputUsages = {
  /** Hook Switch (0x20, OOC): off-hook = 1. */
  hookSwitch: usage(UsagePage.telephony, 0x20),
  /** Flash (0x21, MC): swap calls. */
  flash: usage(UsagePage.telephony, 0x21),
  /** Redial (0x24, OSC). */
  redial: usage(UsagePage.telephony, 0x24),
  /** Drop (0x26, OSC): end the call / refuse the ringing one. */
  drop: usage(UsagePage.telephony, 0x26),
  /** Phone Mute (0x2F, OOC). */
  phoneMute: usage(UsagePage.telephony, 0x2f),
  /** Line Busy Tone (0x97, OOC): headsets send it to refuse a ringing call. */
  lineBusyTone: usage(UsagePage.telephony, 0x97),
} as const;

/** Indicators the host sets (host → device). HUT §11 LED page, plus Telephony Ringer (0x9E). */
export const outputUsages = {
  /** LED Mute (0x09). */
  mute: usage(UsagePage.led, 0x09),
  /** LED Off-Hook (0x17): the headset's audio link is open for a call. */
  offHook: usage(UsagePage.led, 0x17),
  /** LED Ring (0x18). */
  ring: usage(UsagePage.led, 0x18),
  /** LED Hold (0x20). */
  hold: usage(UsagePage.led, 0x20),
  /** LED Microphone (0x21): headsets take it as the mute acknowledgement (WICG/webhid#72). */
  microphone: usage(UsagePage.led, 0x21),
  /** Telephony Ringer (0x9E): the headset rings in the ear. */
  ringer: usage(UsagePage.telephony, 0x9e),
} as const;

export type InputControl = keyof typeof inputUsages;
export type OutputControl = keyof typeof outputUsages;
export const inputControls = Object.keys(inputUsages) as InputControl[];
export const outputControls = Object.keys(outputUsages) as OutputControl[];

export function inputControlOf(extended: number): InputControl | undefined {
  return inputControls.find((c) => inputUsages[c] === extended);
}
export function outputControlOf(extended: number): OutputControl | undefined {
  return outputControls.find((c) => outputUsages[c] === extended);
}
