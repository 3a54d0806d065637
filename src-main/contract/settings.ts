/** Accounts, settings and devices as hosts and renderers see them (no passwords ever leave main). */
import { z } from 'zod';
import { natUriProblem } from './nat-uri.js';

const sipUri = z.string().trim().max(512).regex(/^sips?:[^\s@]+@[^\s@]+$/i, 'expected a SIP address like sip:1001@pbx.example.com');
const serverUri = z.string().trim().max(512).regex(/^sips?:\S+$/i, 'expected a sip: or sips: URI');
const codecName = z.enum(['opus', 'g722', 'pcmu', 'pcma']);
/** RFC 7064/7065 server URIs, syntax checked here (contract/nat-uri.ts); core/media-options.ts parses them (net/stun/uri.ts). */
const natUri = (kind: 'stun' | 'turn') => z.string().trim().max(300).superRefine((text, ctx) => {
  const problem = natUriProblem(text, kind);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const stunUri = natUri('stun');
const turnUri = natUri('turn');

/**
 * NAT traversal per account (issue 13), the meaning of the CLI's --stun, --turn, --turn-username,
 * --ice and --ice-policy; the TURN password is kept in the secret store (`turnPassword` on input).
 */
export const natSettingsSchema = z.strictObject({
  stun: stunUri.optional(),
  turn: turnUri.optional(),
  turnUsername: z.string().trim().min(1).max(256).optional(),
  ice: z.enum(['on', 'off']).optional(),
  icePolicy: z.enum(['all', 'relay']).optional(),
});

export const accountKeySchema = z.string().min(1).max(128);
export const transportSchema = z.enum(['udp', 'tcp', 'tls']);
export const srtpPolicySchema = z.enum(['off', 'optional', 'required']);

/** What the Accounts screen saves. `password` undefined keeps the stored one; '' clears it. */
export const accountInputSchema = z.strictObject({
  /** Absent for a new account. */
  key: accountKeySchema.optional(),
  aor: sipUri,
  displayName: z.string().trim().max(128).optional(),
  username: z.string().trim().max(128).optional(),
  password: z.string().max(256).optional(),
  /** The TURN server's password (secret store, like `password`): undefined keeps, '' clears. */
  turnPassword: z.string().max(256).optional(),
  nat: natSettingsSchema.optional(),
  registrar: serverUri.optional(),
  outboundProxy: serverUri.optional(),
  transport: transportSchema.default('udp'),
  srtp: srtpPolicySchema.default('off'),
  codecs: z.array(codecName).min(1).max(4).refine((c) => new Set(c).size === c.length, 'codecs repeat').default(['opus', 'g722', 'pcmu', 'pcma']),
  /** ISO 3166-1 alpha-2 country for formatting and dialling national numbers. */
  defaultCountry: z.string().regex(/^[A-Z]{2}$/, 'expected a two-letter country code').optional(),
  enabled: z.boolean().default(true),
  isDefault: z.boolean().default(false),
  /** Number or SIP address the voicemail indicator dials (issue 11). */
  voicemail: z.string().trim().min(1).max(256).regex(/^(sips?:\S+|[*#+0-9]+)$/i, 'expected a number or a SIP address').optional(),
  /** Directed call pickup feature code put before the extension (e.g. *8), when the PBX gives no dialog identifiers. */
  pickupCode: z.string().trim().regex(/^[*#0-9]{1,8}$/, 'expected digits, * or #').optional(),
  /** Message waiting (RFC 3842): subscribe (default), or only take the registrar's unsolicited NOTIFYs. */
  mwi: z.enum(['subscribe', 'unsolicited']).optional(),
  /** Which INVITEs ring: from the registrar/proxy (default `trusted`), also those addressed to us, or any (direct-IP). */
  incomingCallPolicy: z.enum(['trusted', 'trusted-or-addressed', 'any']).optional(),
  /** Which REFERs we follow: the account's domain (default), ask each time, or any. */
  transferPolicy: z.enum(['domain', 'ask', 'any']).optional(),
  /** Auto-answer requests (Call-Info answer-after, Answer-Mode): from the PBX (default) or never. */
  autoAnswerRequests: z.enum(['pbx', 'never']).optional(),
});
export type AccountInput = z.input<typeof accountInputSchema>;
/** An account as stored (no password: that lives in the secret store). */
export const accountSettingsSchema = accountInputSchema.omit({ password: true, turnPassword: true, key: true }).extend({ key: accountKeySchema });
export type AccountSettings = z.output<typeof accountSettingsSchema>;

export type RegistrationState = 'disabled' | 'registering' | 'registered' | 'failed' | 'unregistered';

/** An account as the renderer sees it: settings, whether a password is stored, live registration. */
export interface AccountView extends AccountSettings {
  hasPassword: boolean;
  /** A TURN password is stored (issue 13); like the SIP password, it never leaves main. */
  hasTurnPassword: boolean;
  registration: { state: RegistrationState; reason: string | undefined; status: number | undefined };
}

/**
 * A global keyboard shortcut as Electron writes accelerators: one or more modifiers, then one key
 * ("CommandOrControl+Alt+A"). A modifier is required: a bare key would be taken from every app.
 */
export const acceleratorSchema = z.string().trim().max(64).regex(
  /^(?:(?:CommandOrControl|CmdOrCtrl|Command|Cmd|Control|Ctrl|Alt|Option|AltGr|Shift|Super|Meta)\+)+(?:[A-Z0-9]|F(?:[1-9]|1[0-9]|2[0-4])|Space|Tab|Backspace|Delete|Insert|Return|Enter|Up|Down|Left|Right|Home|End|PageUp|PageDown|Escape|Esc|Plus|[-=[\];',./`\\])$/,
  'expected modifiers and a key, like CommandOrControl+Alt+A',
);

export const languageSchema = z.enum(['system', 'en', 'fr']);
export const themeSchema = z.enum(['system', 'light', 'dark']);

const deviceName = z.string().trim().min(1).max(256).nullable();

export const forwardSettingSchema = z.strictObject({
  mode: z.enum(['off', 'always', 'busy', 'no-answer']),
  /** Where calls go (a SIP URI); required unless `off`. */
  target: z.string().trim().max(512).regex(/^$|^sips?:\S+@\S+$/i, 'expected a SIP address like sip:voicemail@pbx.example.com'),
  noAnswerSeconds: z.number().int().min(5).max(120),
}).refine((f) => f.mode === 'off' || f.target !== '', { message: 'a forwarding target is needed', path: ['target'] });

/** Auto-update (Electron host, issue 12): the channel followed and the self-hosted `generic` feed (set by administrators). */
export const updateChannelSchema = z.enum(['stable', 'beta']);
export const updateSettingsSchema = z.strictObject({
  channel: updateChannelSchema,
  /** The folder holding latest.yml/beta.yml and the installers (https, or http on loopback); null: no updates. */
  feedUrl: z.string().trim().max(1024).regex(/^https?:\/\/\S+$/i, 'expected an http(s) address').nullable(),
});

/** Echo canceller on/off, noise suppression off/low/high, automatic gain control on/off. */
export const audioProcessingSchema = z.strictObject({ aec: z.boolean(), ns: z.enum(['off', 'low', 'high']), agc: z.boolean() });
export type AudioProcessing = z.output<typeof audioProcessingSchema>;

export const settingsSchema = z.strictObject({
  language: languageSchema,
  theme: themeSchema,
  /** Answering or dialling while a call is active holds it first. */
  autoHold: z.boolean(),
  /** Do not disturb: incoming calls are refused (486 Busy Here). */
  dnd: z.boolean(),
  forward: forwardSettingSchema,
  /** A second call during a call rings with a beep; off: it gets busy. */
  callWaiting: z.boolean(),
  /** off; after N ms; or only when the PBX asks (Call-Info answer-after, from the registrar's flow). */
  autoAnswer: z.strictObject({ mode: z.enum(['off', 'after', 'pbx']), afterMs: z.number().int().min(0).max(60_000) }),
  /** Devices by name (null = the system default); used from the next call. */
  audio: z.strictObject({ input: deviceName, output: deviceName, ring: deviceName, ringOnSpeakerToo: z.boolean() }),
  /** Microphone processing (issue 17): echo cancellation, noise suppression, automatic gain control; applied at once, to a call in progress too. */
  audioProcessing: audioProcessingSchema,
  /** Electron host only. */
  startAtLogin: z.boolean(),
  startMinimised: z.boolean(),
  closeToTray: z.boolean(),
  /** USB headset call control (issue 12): on/off, and the headset chosen when several are plugged in (null: automatic). */
  headset: z.strictObject({ enabled: z.boolean(), device: z.string().trim().min(1).max(256).nullable() }),
  /** Global shortcuts (Electron host only), off by default; each works while another app has the focus. */
  shortcuts: z.strictObject({
    enabled: z.boolean(),
    answer: acceleratorSchema,
    hangUp: acceleratorSchema,
    mute: acceleratorSchema,
    hold: acceleratorSchema,
  }),
  updates: updateSettingsSchema,
});
export type Settings = z.output<typeof settingsSchema>;
export const settingsPatchSchema = settingsSchema.partial();
export type SettingsPatch = z.input<typeof settingsPatchSchema>;

export const defaultAppSettings: Settings = {
  language: 'system', theme: 'system', autoHold: true, dnd: false,
  forward: { mode: 'off', target: '', noAnswerSeconds: 20 },
  callWaiting: true,
  autoAnswer: { mode: 'pbx', afterMs: 0 },
  audio: { input: null, output: null, ring: null, ringOnSpeakerToo: false },
  audioProcessing: { aec: true, ns: 'low', agc: true },
  startAtLogin: false, startMinimised: false, closeToTray: true,
  headset: { enabled: true, device: null },
  shortcuts: {
    enabled: false, answer: 'CommandOrControl+Alt+A', hangUp: 'CommandOrControl+Alt+E', mute: 'CommandOrControl+Alt+M', hold: 'CommandOrControl+Alt+H',
  },
  updates: { channel: 'stable', feedUrl: null },
};

/** Account fields an administrator can impose on every account (machine-wide policies). */
export const accountPolicySchema = z.strictObject({
  transferPolicy: accountInputSchema.shape.transferPolicy,
  incomingCallPolicy: accountInputSchema.shape.incomingCallPolicy,
  autoAnswerRequests: accountInputSchema.shape.autoAnswerRequests,
  srtp: srtpPolicySchema.optional(),
});
export type AccountPolicy = z.output<typeof accountPolicySchema>;

/**
 * The machine-wide configuration file administrators deploy (core/admin-config.ts reads it;
 * format in docs/packaging.md). Accounts carry no password (a `password` key is refused); every
 * key of `locked` is imposed and cannot be changed in Settings; `defaults` only replace the
 * built-in defaults.
 */
export const adminConfigSchema = z.strictObject({
  version: z.literal(1),
  accounts: z.array(accountInputSchema.omit({ password: true, turnPassword: true, key: true })).max(32).default([]),
  accountPolicy: accountPolicySchema.default({}),
  locked: settingsSchema.partial().default({}),
  defaults: settingsSchema.partial().default({}),
});
export type AdminConfig = z.output<typeof adminConfigSchema>;

/** What the administrator's configuration fixes, as the renderer shows it (locked fields are disabled). */
export interface AdminLocks {
  /** Settings keys imposed by the administrator. */
  settings: Array<keyof Settings>;
  /** Addresses of accounts the administrator provides (cannot be removed; their given fields cannot change). */
  accounts: string[];
  /** Account fields imposed on every account. */
  accountFields: Array<keyof AccountPolicy>;
  /** Per administrator account (by address): the fields the administrator gave, which cannot change. */
  accountGiven: Record<string, string[]>;
}

export interface AudioDevice {
  name: string;
  input: boolean;
  output: boolean;
  isDefault: boolean;
}

/** Settings › Audio checks: a test tone on the speaker, the ringtone on the ringing device, the microphone's level. */
export const audioTestSchema = z.strictObject({ test: z.enum(['speaker', 'ring', 'microphone']), on: z.boolean() });
export type AudioTestKind = z.infer<typeof audioTestSchema>['test'];

export interface AppInfo {
  name: string;
  version: string;
  /** Which host serves the renderer. */
  host: 'electron' | 'web';
  /** Present when a machine-wide configuration file is in force. */
  locked?: AdminLocks;
}
