import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The Content-Security-Policy of the production build: nothing by default; scripts only from the app's own origin,
 * no inline script, no `eval` or `new Function` ('wasm-unsafe-eval' lets tfjs compile its WebAssembly backend and
 * allows nothing else); styles only from files (React's `style` props and the element's constructed style sheet go
 * through the CSSOM, which CSP does not restrict); workers, fetches (the .wasm files) and frames (embed.html's
 * figures) from the app's origin; images also as `data:` URLs (the favicon, the figure export). No form posts, no
 * <base>, no plugins. test/e2e/csp.spec.ts runs every backend and every page under it; README "Hosting the build"
 * gives the header to set.
 */
export const CSP_DIRECTIVES = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];
/**
 * The policy as an HTTP header: also `frame-ancestors *`, because the app is meant to be framed by other sites
 * (the `<robust-playground>` element, the iframe snippet). A `<meta>` policy cannot carry frame-ancestors.
 */
export const CSP_HEADER = [...CSP_DIRECTIVES, 'frame-ancestors *'].join('; ');
export const CSP_META = CSP_DIRECTIVES.join('; ');

/**
 * Puts the policy into every built page as `<meta http-equiv="Content-Security-Policy">`, first in `<head>`, so a
 * host that sets no header still gets it. Build only: the dev server's React refresh needs inline scripts.
 */
function cspMeta(): Plugin {
  return {
    name: 'robust-playground-csp-meta',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [
        {
          tag: 'meta',
          attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP_META },
          injectTo: 'head-prepend',
        },
      ],
    },
  };
}

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
  plugins: [react(), elementInDev(), cspMeta()],
  // `vite preview` serves the build as a host should: the policy as a header on every response (the workers'
  // scripts included: a worker's policy comes from its own response, not from the page's <meta>).
  preview: {
    headers: {
      'Content-Security-Policy': CSP_HEADER,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    },
  },
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
