import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  // ES-module workers can split: the WebGPU backend is a chunk the worker loads only for a hardware adapter.
  worker: { format: 'es' },
  build: {
    // The worker bundles tfjs with every backend (~2 MB minified, ~0.35 MB gzipped); that size is expected.
    chunkSizeWarningLimit: 3000,
    // Two pages: the playground and diagnostics.html (which backends this browser runs, parity and speed).
    rolldownOptions: {
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        diagnostics: fileURLToPath(new URL('./diagnostics.html', import.meta.url)),
      },
    },
  },
});
