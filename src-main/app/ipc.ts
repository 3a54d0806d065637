/** IPC channel names and sender validation shared by main and preload (no Node or Electron imports). */
export const ipcChannels = {
  appInfo: 'app:info',
} as const;

/** Only our own bundled pages may call into main (Electron security checklist §17). */
export function isTrustedSender(url: string | undefined): boolean {
  return url !== undefined && url.startsWith('file://') && url.includes('/src-renderer/');
}
