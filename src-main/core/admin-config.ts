/**
 * The machine-wide configuration file administrators deploy (issue 12; format in
 * docs/packaging.md): accounts without passwords, policies imposed on every account, settings that
 * are locked and settings that only replace the built-in defaults. Read once at start by the
 * core; validated with the contract's bounded schema. Settings are merged as
 *   built-in defaults < admin `defaults` < the user's stored settings < admin `locked`
 * and a change to a locked value is refused (the handlers say which field and why).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Result } from '../contract/calls.js';
import {
  adminConfigSchema, type AccountPolicy, type AdminConfig, type AdminLocks, type Settings, type SettingsPatch,
} from '../contract/settings.js';

/** Largest configuration file read, bytes (a deployed file is a few KiB). */
export const maxAdminConfigBytes = 256 * 1024;

/** Environment variable naming another file (tests, or an administrator staging a new file). */
export const adminConfigEnv = 'NIMBUS_ADMIN_CONFIG';

/** Where administrators deploy the file on each OS. */
export function adminConfigPath(platform: string = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  const override = env[adminConfigEnv];
  if (override) return override;
  if (platform === 'win32') return join(env.ProgramData ?? 'C:\\ProgramData', 'Nimbus Phone', 'config.json');
  if (platform === 'darwin') return '/Library/Application Support/Nimbus Phone/config.json';
  return '/etc/nimbus-phone/config.json';
}

/** Checks the file's text: JSON, within bounds, and the contract's schema (the first problem is named). */
export function parseAdminConfig(text: string): Result<AdminConfig> {
  if (text.length > maxAdminConfigBytes) return { ok: false, error: `larger than ${maxAdminConfigBytes} bytes` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not JSON: ${(e as Error).message}` };
  }
  const parsed = adminConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: `${issue.path.join('.') || 'config'}: ${issue.message}` };
  }
  const aors = parsed.data.accounts.map((a) => a.aor.toLowerCase());
  if (new Set(aors).size !== aors.length) return { ok: false, error: 'accounts: an address is given twice' };
  return { ok: true, value: parsed.data };
}

/**
 * Reads the file: `undefined` when there is none (the usual case); a problem when it exists but
 * cannot be used — the phone then starts without it and says so (a typo must not stop the phone).
 */
export async function readAdminConfig(path: string): Promise<{ config?: AdminConfig; problem?: string }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? {} : { problem: `${path}: ${(e as Error).message}` };
  }
  if (bytes.length > maxAdminConfigBytes) return { problem: `${path}: larger than ${maxAdminConfigBytes} bytes` };
  const parsed = parseAdminConfig(bytes.toString('utf8'));
  return parsed.ok ? { config: parsed.value } : { problem: `${path}: ${parsed.error}` };
}

/** The settings in force: built-in defaults < admin defaults < stored (the user's) < admin locked. */
export function mergeSettings(builtIn: Settings, stored: SettingsPatch, config: AdminConfig | undefined): Settings {
  return { ...builtIn, ...config?.defaults, ...stored, ...config?.locked } as Settings;
}

/** What the renderer is told is locked. */
export function locksOf(config: AdminConfig): AdminLocks {
  return {
    settings: Object.keys(config.locked) as Array<keyof Settings>,
    accounts: config.accounts.map((a) => a.aor),
    accountFields: Object.keys(config.accountPolicy) as Array<keyof AccountPolicy>,
    // As refusedAccountChange reads them: what the administrator gave, except the user's own fields.
    accountGiven: Object.fromEntries(config.accounts.map((a) => [a.aor, Object.keys(a).filter((k) => !userFields.has(k))])),
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Why a settings change is refused (a locked key given a different value), or undefined. */
export function refusedSettingsChange(patch: SettingsPatch, config: AdminConfig | undefined): string | undefined {
  if (!config) return undefined;
  const locked = config.locked as Record<string, unknown>;
  const changed = Object.entries(patch).filter(([key, value]) => key in locked && !same(value, locked[key])).map(([key]) => key);
  return changed.length > 0 ? `${changed.join(', ')}: set by your administrator` : undefined;
}

/** Fields of an administrator's account that the user may still change. */
const userFields = new Set(['key', 'password', 'enabled', 'isDefault']);

/** The administrator's account with this address, if any. */
export function adminAccountFor(aor: string | undefined, config: AdminConfig | undefined): AdminConfig['accounts'][number] | undefined {
  if (!aor || !config) return undefined;
  return config.accounts.find((a) => a.aor.toLowerCase() === aor.toLowerCase());
}

/**
 * Why an account change is refused, or undefined. `stored` is the account as saved (its address),
 * `input` what the Accounts screen sends. Account policies bind every account; an administrator's
 * account keeps every field the administrator gave (the user sets the password, enabled, default
 * and what the administrator left out).
 */
export function refusedAccountChange(input: Record<string, unknown>, storedAor: string | undefined, config: AdminConfig | undefined): string | undefined {
  if (!config) return undefined;
  const policy = config.accountPolicy as Record<string, unknown>;
  const badPolicy = Object.keys(policy).filter((k) => input[k] !== undefined && !same(input[k], policy[k]));
  if (badPolicy.length > 0) return `${badPolicy.join(', ')}: set by your administrator`;
  const admin = adminAccountFor(storedAor, config) as Record<string, unknown> | undefined;
  if (!admin) {
    return adminAccountFor(typeof input.aor === 'string' ? input.aor : undefined, config)
      ? 'aor: this address is provided by your administrator' : undefined;
  }
  const given = { ...admin, ...policy };
  // Fields the administrator left out (display name, voicemail…) are the user's.
  const changed = Object.keys(input).filter((k) => !userFields.has(k) && given[k] !== undefined && input[k] !== undefined && !same(input[k], given[k]));
  return changed.length > 0 ? `${changed.join(', ')}: set by your administrator` : undefined;
}

/** An account input with the machine-wide policies imposed. */
export function withAccountPolicy<T extends object>(input: T, config: AdminConfig | undefined): T {
  return config ? { ...input, ...config.accountPolicy } : input;
}
