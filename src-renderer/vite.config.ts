// Builds the renderer into out/renderer/ (served by app://nimbus/ in Electron and by the web host).
// The Electron CSP is `script-src 'self'; style-src 'self'`: no inline scripts or styles end up in
// the page (the module preload polyfill is bundled, CSS goes to files).
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'chrome130',
    // One bundle for a desktop app loaded from disk/loopback (phone metadata and icons included).
    chunkSizeWarningLimit: 1200,
  },
});
