import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is served from app://care-desk/ in Electron and from http://127.0.0.1:PORT/ in browser mode,
// so asset URLs are relative.
export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome130',
    sourcemap: true,
    // Inlined assets would need `data:` in script-src; keep every script a file.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    // One bundle read from local disk (app:// or loopback); the full phone-number metadata is most of it.
    chunkSizeWarningLimit: 1500,
  },
});
