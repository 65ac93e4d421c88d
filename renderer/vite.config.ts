import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Built files are loaded from a custom protocol (Electron) or the loopback bridge
// server (browser mode), so every asset path is relative.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
  },
});
