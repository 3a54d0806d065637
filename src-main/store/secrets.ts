/**
 * Account passwords, kept apart from settings and never sent to a renderer. Two stores:
 * - in the Electron app, encrypted with the OS keychain (`safeStorage`) into the database;
 * - in the web host and CLI, a JSON file with mode 0600 in the data folder (readable by the
 *   same OS user, as ~/.ssh keys are; documented in docs/security.md).
 */
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Database } from './database.js';

export interface SecretStore {
  get(key: string): string | undefined;
  set(key: string, secret: string): void;
  delete(key: string): void;
}

/** What Electron's safeStorage offers (the core never imports electron). */
export interface SecretCipher {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export function memorySecretStore(): SecretStore {
  const map = new Map<string, string>();
  return { get: (k) => map.get(k), set: (k, s) => void map.set(k, s), delete: (k) => void map.delete(k) };
}

/** A 0600 JSON file, rewritten atomically (temp file + rename) on each change. */
export function fileSecretStore(path: string): SecretStore {
  const read = (): Record<string, string> => {
    if (!existsSync(path)) return {};
    chmodSync(path, 0o600);
    try {
      const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
      return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
    } catch {
      return {};
    }
  };
  const write = (all: Record<string, string>) => {
    const tmp = `${path}.tmp`;
    writeFileSync(tmp, JSON.stringify(all), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, path);
  };
  return {
    get: (k) => read()[k],
    set: (k, s) => write({ ...read(), [k]: s }),
    delete: (k) => {
      const all = read();
      delete all[k];
      write(all);
    },
  };
}

/** Encrypted blobs in the database's `secrets` table; refuses to store in clear text. */
export function cipherSecretStore(db: Database, cipher: SecretCipher): SecretStore {
  return {
    get(key) {
      const row = db.prepare('SELECT value FROM secrets WHERE key = ?').get(key) as { value: Uint8Array } | undefined;
      if (!row) return undefined;
      try {
        return cipher.decryptString(Buffer.from(row.value));
      } catch {
        return undefined;
      }
    },
    set(key, secret) {
      if (!cipher.isEncryptionAvailable()) throw new Error('the system keychain is not available: the password was not stored');
      db.prepare('INSERT INTO secrets (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, cipher.encryptString(secret));
    },
    delete(key) {
      db.prepare('DELETE FROM secrets WHERE key = ?').run(key);
    },
  };
}
