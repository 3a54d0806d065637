/** The two IPC channel names main and the preload share (no imports: the preload bundles this). */
export const ipcInvokeChannel = 'nimbus:invoke';
export const ipcEventChannel = 'nimbus:event';
