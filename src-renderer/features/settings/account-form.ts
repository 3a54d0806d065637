/**
 * The account editor's draft and its conversion to what `accounts.save` takes, validated by the
 * contract's own schema. The password is write-only: the draft starts empty and an empty field
 * keeps the stored one.
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
}

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

/** Validate the draft with the contract schema; errors name the fields (messages come from i18n). */
export function toAccountInput(draft: AccountDraft): DraftResult {
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
  };
  const parsed = accountInputSchema.safeParse(input);
  if (parsed.success) return { ok: true, input };
  const errors: Partial<Record<DraftField, true>> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if (typeof field === 'string' && field in draft && field !== 'key') errors[field as DraftField] = true;
  }
  return { ok: false, errors };
}

/** The account `dial` uses: the default one, else the first enabled one. */
export function dialAccount(accounts: AccountView[]): AccountView | undefined {
  return accounts.find((a) => a.isDefault && a.enabled) ?? accounts.find((a) => a.enabled);
}

/** Draft fields that are account fields of the same name (what the administrator can give). */
const draftFields = new Set<string>(['aor', 'displayName', 'username', 'password', 'registrar', 'outboundProxy', 'transport', 'srtp',
  'codecs', 'defaultCountry', 'enabled', 'isDefault', 'incomingCallPolicy', 'transferPolicy', 'autoAnswerRequests'] satisfies DraftField[]);

/**
 * The account fields the administrator set for the account saved under `storedAor` (a new
 * account: undefined): the policies on every account, and on an administrator's account every field
 * it gave (the core refuses a change to any of them, core/admin-config.ts).
 */
export function lockedAccountFields(locks: AdminLocks | undefined, storedAor: string | undefined): ReadonlySet<DraftField> {
  if (!locks) return new Set();
  const aor = storedAor?.toLowerCase();
  const given = aor ? Object.entries(locks.accountGiven).find(([a]) => a.toLowerCase() === aor)?.[1] ?? [] : [];
  return new Set([...locks.accountFields, ...given].filter((f): f is DraftField => draftFields.has(f)));
}
