import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/** The custom element's script: one file at a stable address that a blog's script tag names (src/embed/). */
const ELEMENT_ENTRY = 'robust-playground';

/**
 * In the dev server, `/robust-playground.js` is the element's source module, so embed.html and the Share
 * dialog's snippet work in `npm start` as they do in the build (where the file is built there).
 */
function elementInDev(): Plugin {
  return {
    name: 'robust-playground-element-dev',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        const [path, query] = (req.url ?? '').split('?');
        if (path === `/${ELEMENT_ENTRY}.js`) req.url = `/src/embed/element.ts${query ? `?${query}` : ''}`;
        next();
      });
    },
  };
}

export default defineConfig({
  plugins: [react(), elementInDev()],
  // ES-module workers can split: the WebGPU backend is a chunk the worker loads only for a hardware adapter.
  worker: { format: 'es' },
  build: {
    // The worker bundles tfjs with every backend (~2 MB minified, ~0.35 MB gzipped); that size is expected.
    chunkSizeWarningLimit: 3000,
    // Three pages: the playground, diagnostics.html (which backends this browser runs, parity and speed) and
    // embed.html (how to embed a figure); and the `<robust-playground>` element's script.
    rolldownOptions: {
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        diagnostics: fileURLToPath(new URL('./diagnostics.html', import.meta.url)),
        embed: fileURLToPath(new URL('./embed.html', import.meta.url)),
        [ELEMENT_ENTRY]: fileURLToPath(new URL('./src/embed/element.ts', import.meta.url)),
      },
      output: {
        // The element's script keeps its name (`<script src=".../robust-playground.js">` in other people's
        // pages must not break on a rebuild); every other entry stays content-hashed under assets/.
        entryFileNames: (chunk) =>
          chunk.name === ELEMENT_ENTRY ? `${ELEMENT_ENTRY}.js` : 'assets/[name]-[hash].js',
      },
    },
  },
});
