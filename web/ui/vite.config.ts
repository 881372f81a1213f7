// Builds the web UI into dist-ui/ at the package root, which src/web/ui.ts serves from memory.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Relative asset URLs: the server injects a <base href> so they resolve under any route prefix.
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist-ui', import.meta.url)),
    emptyOutDir: true,
    // Modern evergreen browsers only, as Prometheus 3's UI.
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
  },
  server: {
    // `npm run dev:ui` proxies the API to a server on :9090.
    proxy: { '/api': 'http://localhost:9090' },
  },
});
