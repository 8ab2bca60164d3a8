import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  // The worker bundles tfjs with every backend (~2 MB minified, ~0.35 MB gzipped); that size is expected.
  build: { chunkSizeWarningLimit: 3000 },
});
