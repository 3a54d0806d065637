/**
 * The account editor's draft and its conversion to what `accounts.save` takes, validated by the
 * contract's own schema. The password is write-only: the draft starts empty and an empty field
 * keeps the stored one. The TURN password (NAT traversal, issue 13) is write-only the same way.
 */
import {
  accountInputSchema, type AccountInput, type AccountView, type AdminLocks,
} from '../../../src-main/contract/settings.js';

export const codecNames = ['opus', 'g722', 'pcmu', 'pcma'] as const;
export type CodecName = (typeof codecNames)[number];
export type Transport = 'udp' | 'tcp' | 'tls';
export type SrtpPolicy = 'off' | 'optional' | 'required';

export interface AccountDraft {
  key: string | undefined;
  aor: string;
  displayName: string;
  username: string;
  password: string;
  registrar: string;
  outboundProxy: string;
  transport: Transport;
  srtp: SrtpPolicy;
  /** Every codec in preference order, each on or off. */
  codecs: { name: CodecName; enabled: boolean }[];
  defaultCountry: string;
  enabled: boolean;
  isDefault: boolean;
  /** '' = the core's default (trusted / domain / pbx). */
  incomingCallPolicy: '' | NonNullable<AccountInput['incomingCallPolicy']>;
  transferPolicy: '' | NonNullable<AccountInput['transferPolicy']>;
  autoAnswerRequests: '' | NonNullable<AccountInput['autoAnswerRequests']>;
  /** Network (NAT traversal): ICE on/off, STUN and TURN servers, TURN credentials, relay only. */
  natIce: boolean;
  natStun: string;
  natTurn: string;
  natTurnUsername: string;
  /** Write-only like `password`: empty keeps the stored one. */
  turnPassword: string;
  natRelayOnly: boolean;
}

/** The NAT group's draft fields (the administrator gives them together, as the account's `nat`). */
export const natDraftFields = ['natIce', 'natStun', 'natTurn', 'natTurnUsername', 'natRelayOnly'] as const;

export type DraftField = Exclude<keyof AccountDraft, 'key'>;

export function draftFrom(view: AccountView | undefined, isFirst = false): AccountDraft {
  const on = view?.codecs ?? [...codecNames];
  return {
    key: view?.key,
    aor: view?.aor ?? '',
    displayName: view?.displayName ?? '',
    username: view?.username ?? '',
    password: '',
    registrar: view?.registrar ?? '',
    outboundProxy: view?.outboundProxy ?? '',
    transport: view?.transport ?? 'udp',
    srtp: view?.srtp ?? 'off',
    codecs: [
      ...on.map((name) => ({ name, enabled: true })),
      ...codecNames.filter((n) => !on.includes(n)).map((name) => ({ name, enabled: false })),
    ],
    defaultCountry: view?.defaultCountry ?? '',
    enabled: view?.enabled ?? true,
    isDefault: view?.isDefault ?? isFirst,
    incomingCallPolicy: view?.incomingCallPolicy ?? '',
    transferPolicy: view?.transferPolicy ?? '',
    autoAnswerRequests: view?.autoAnswerRequests ?? '',
    natIce: view?.nat?.ice !== 'off',
    natStun: view?.nat?.stun ?? '',
    natTurn: view?.nat?.turn ?? '',
    natTurnUsername: view?.nat?.turnUsername ?? '',
    turnPassword: '',
    natRelayOnly: view?.nat?.icePolicy === 'relay',
  };
}

/** Move a codec one place up (-1) or down (+1) in the preference order. */
export function moveCodec(draft: AccountDraft, index: number, by: -1 | 1): AccountDraft {
  const to = index + by;
  if (to < 0 || to >= draft.codecs.length) return draft;
  const codecs = [...draft.codecs];
  [codecs[index], codecs[to]] = [codecs[to]!, codecs[index]!];
  return { ...draft, codecs };
}

const blank = (s: string): string | undefined => (s.trim() === '' ? undefined : s.trim());
/** People type "pbx.example.com" or "1001@pbx.example.com": add the `sip:` scheme. */
const withScheme = (s: string): string | undefined => {
  const t = blank(s);
  return t === undefined || /^sips?:/i.test(t) ? t : `sip:${t}`;
};

export type DraftResult =
  | { ok: true; input: AccountInput }
  | { ok: false; errors: Partial<Record<DraftField, true>> };

/** Where the contract's NAT issues land in the form. */
const natFieldOf: Record<string, DraftField> = { stun: 'natStun', turn: 'natTurn', turnUsername: 'natTurnUsername', ice: 'natIce', icePolicy: 'natRelayOnly' };

/**
 * The account's `nat` from the draft. ICE is stored 'on' only with a server (or when it was
 * stored so): alone it would change nothing the user asked for; 'off' is always kept.
 */
function natInput(draft: AccountDraft, storedIce: 'on' | 'off' | undefined): NonNullable<AccountInput['nat']> {
  const stun = blank(draft.natStun), turn = blank(draft.natTurn);
  const ice = !draft.natIce ? 'off' : stun || turn || storedIce === 'on' ? 'on' : undefined;
  return {
    ...(stun ? { stun } : {}),
    ...(turn ? { turn } : {}),
    ...(blank(draft.natTurnUsername) ? { turnUsername: blank(draft.natTurnUsername) } : {}),
    ...(ice ? { ice } : {}),
    ...(draft.natRelayOnly ? { icePolicy: 'relay' as const } : {}),
  };
}

/**
 * What the form asks beyond the contract: a TURN server needs a username and a password (stored
 * or typed), and relay only needs a TURN server (RFC 8445 §5.1.1: relayed candidates come from it).
 */
function natGaps(draft: AccountDraft, hasTurnPassword: boolean): Partial<Record<DraftField, true>> {
  const turn = blank(draft.natTurn) !== undefined;
  return {
    ...(turn && !blank(draft.natTurnUsername) ? { natTurnUsername: true } : {}),
    ...(turn && draft.turnPassword === '' && !hasTurnPassword ? { turnPassword: true } : {}),
    ...(draft.natRelayOnly && !turn ? { natRelayOnly: true } : {}),
  };
}

/**
 * Validate the draft with the contract schema; errors name the fields (messages come from i18n).
 * `stored`: the account as saved (what ICE was, whether a TURN password is kept); `natLocked`: the
 * administrator gave the account's NAT settings, so they are left out (the core keeps them).
 */
export function toAccountInput(draft: AccountDraft, stored?: Pick<AccountView, 'nat' | 'hasTurnPassword'>, natLocked = false): DraftResult {
  const input: AccountInput = {
    ...(draft.key !== undefined ? { key: draft.key } : {}),
    aor: withScheme(draft.aor) ?? '',
    displayName: blank(draft.displayName),
    username: blank(draft.username),
    password: draft.password === '' ? undefined : draft.password,
    registrar: withScheme(draft.registrar),
    outboundProxy: withScheme(draft.outboundProxy),
    transport: draft.transport,
    srtp: draft.srtp,
    codecs: draft.codecs.filter((c) => c.enabled).map((c) => c.name),
    defaultCountry: blank(draft.defaultCountry),
    enabled: draft.enabled,
    isDefault: draft.isDefault,
    ...(draft.incomingCallPolicy ? { incomingCallPolicy: draft.incomingCallPolicy } : {}),
    ...(draft.transferPolicy ? { transferPolicy: draft.transferPolicy } : {}),
    ...(draft.autoAnswerRequests ? { autoAnswerRequests: draft.autoAnswerRequests } : {}),
    ...(natLocked ? {} : { nat: natInput(draft, stored?.nat?.ice) }),
    turnPassword: draft.turnPassword === '' ? undefined : draft.turnPassword,
  };
  const parsed = accountInputSchema.safeParse(input);
  const errors: Partial<Record<DraftField, true>> = natLocked ? {} : natGaps(draft, stored?.hasTurnPassword ?? false);
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const [field, sub] = issue.path;
    if (field === 'nat' && typeof sub === 'string' && natFieldOf[sub]) errors[natFieldOf[sub]] = true;
    else if (typeof field === 'string' && field in draft && field !== 'key') errors[field as DraftField] = true;
  }
  return Object.keys(errors).length === 0 ? { ok: true, input } : { ok: false, errors };
}

/** The account `dial` uses: the default one, else the first enabled one. */
export function dialAccount(accounts: AccountView[]): AccountView | undefined {
  return accounts.find((a) => a.isDefault && a.enabled) ?? accounts.find((a) => a.enabled);
}

/** Draft fields that are account fields of the same name (what the administrator can give). */
const draftFields = new Set<string>(['aor', 'displayName', 'username', 'password', 'registrar', 'outboundProxy', 'transport', 'srtp',
  'codecs', 'defaultCountry', 'enabled', 'isDefault', 'incomingCallPolicy', 'transferPolicy', 'autoAnswerRequests'] satisfies DraftField[]);
/** Account fields that stand for several draft fields. */
const groupFields: Record<string, readonly DraftField[]> = { nat: natDraftFields };

/**
 * The account fields the administrator set for the account saved under `storedAor` (a new
 * account: undefined): the policies on every account, and on an administrator's account every field
 * it gave (the core refuses a change to any of them, core/admin-config.ts).
 */
export function lockedAccountFields(locks: AdminLocks | undefined, storedAor: string | undefined): ReadonlySet<DraftField> {
  if (!locks) return new Set();
  const aor = storedAor?.toLowerCase();
  const given = aor ? Object.entries(locks.accountGiven).find(([a]) => a.toLowerCase() === aor)?.[1] ?? [] : [];
  return new Set([...locks.accountFields, ...given].flatMap((f) => groupFields[f] ?? (draftFields.has(f) ? [f as DraftField] : [])));
}
