import { cpSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * pdf.js fetches, by URL, the character maps a PDF needs when its Chinese (or other CJK) fonts are
 * not embedded, and the standard fonts: they go beside the build as `pdfjs/cmaps/` and
 * `pdfjs/standard_fonts/` (see renderer/features/drive/PdfPreview.tsx).
 */
function pdfjsData(): Plugin {
  let outDir = '';
  return {
    name: 'qixin-pdfjs-data',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const pdfjs = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
      for (const dir of ['cmaps', 'standard_fonts']) {
        cpSync(path.join(pdfjs, dir), path.join(outDir, 'pdfjs', dir), { recursive: true });
      }
    },
  };
}

// Built files are loaded from a custom protocol (Electron) or the loopback bridge
// server (browser mode), so every asset path is relative.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react(), pdfjsData()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
  },
});
