import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const rendererDir = dirname(fileURLToPath(import.meta.url));
const pdfjsDir = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

// pdf.js fetches these on demand: fonts a PDF names but does not embed (the 14 standard fonts),
// CJK character maps, ICC profiles and its WebAssembly image decoders (JPEG 2000, JBIG2 scans).
// They ship next to the app as /pdfjs/<dir>/… so the strict CSP's 'self' covers them.
const PDFJS_ASSET_DIRS = ['standard_fonts', 'cmaps', 'iccs', 'wasm'];

function pdfjsAssets(): Plugin {
  return {
    name: 'eoffice-pdfjs-assets',
    generateBundle() {
      for (const dir of PDFJS_ASSET_DIRS) {
        for (const name of readdirSync(join(pdfjsDir, dir))) {
          this.emitFile({ type: 'asset', fileName: `pdfjs/${dir}/${name}`, source: readFileSync(join(pdfjsDir, dir, name)) });
        }
      }
    },
  };
}

export default defineConfig({
  root: rendererDir,
  base: './',
  plugins: [react(), pdfjsAssets()],
  build: {
    outDir: join(rendererDir, '../dist/renderer'),
    emptyOutDir: true,
    // Electron's Chromium and current browsers; pdf.js needs top-level await and modern built-ins.
    target: 'es2023',
    chunkSizeWarningLimit: 2048,
  },
});
