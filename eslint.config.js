// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';

/** Each layer may import only from the layers above it (design/architecture.md). */
const layerRule = (/** @type {string[]} */ forbidden) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: forbidden.map((layer) => ({
        group: [`**/${layer}/*`, `../${layer}/*`, `./${layer}/*`],
        message: `This layer may not import from src/${layer}/ (see design/architecture.md).`,
      })),
    },
  ],
});

/**
 * The main thread (views, state, render, main.tsx) must not load TensorFlow.js: all tfjs work runs in the engine's
 * worker, and one value import from a tfjs-bearing module puts ~1 MB of tfjs into the page's first download.
 * tfjs and the modules of src/ml and src/engine may be imported there for types only, except these tfjs-free ones.
 */
const TFJS_FREE = [
  'ml/backendNames',
  'ml/methods/info',
  'ml/methods/catalog',
  'ml/methods/[a-z]+\\.info',
  'engine/protocol',
  'engine/enginePool',
];
const TFJS_MESSAGE = 'This module loads TensorFlow.js; the main thread may import it for types only.';
const mainThreadRule = {
  '@typescript-eslint/no-restricted-imports': [
    'error',
    {
      patterns: [
        { group: ['@tensorflow/*'], allowTypeImports: true, message: TFJS_MESSAGE },
        {
          regex: `^(\\.\\.?/)+(?!(${TFJS_FREE.join('|')})\\.ts$)(ml|engine)/`,
          allowTypeImports: true,
          message: `${TFJS_MESSAGE} Use the tfjs-free modules (e.g. ml/methods/catalog.ts, ml/backendNames.ts).`,
        },
      ],
    },
  ],
};
/** The tfjs-free modules above stay so: no tfjs, and values only from each other and src/core. */
const tfjsFreeRule = {
  '@typescript-eslint/no-restricted-imports': [
    'error',
    {
      patterns: [
        { group: ['@tensorflow/*'], allowTypeImports: true, message: 'This module must stay free of tfjs.' },
        {
          regex: '^\\.\\.?/(?!(\\.\\./)*core/|(info|[a-z]+\\.info|protocol)\\.ts$)',
          allowTypeImports: true,
          message:
            'This module must stay free of tfjs: import values only from tfjs-free modules (types are fine).',
        },
      ],
    },
  ],
};

/**
 * User data is never rendered as HTML (issue "It does not break": security): in src/, no API that parses a string
 * as HTML or script. Text goes in as text (React children, `textContent`). Reading `outerHTML` (serialising) is
 * fine; writing it is not.
 */
const HTML_SINKS = [
  {
    selector: 'JSXAttribute[name.name=/^(dangerouslySetInnerHTML|srcDoc)$/]',
    message: 'Never render a string as HTML: pass text as React children (see eslint.config.js, HTML_SINKS).',
  },
  {
    selector:
      'AssignmentExpression > MemberExpression.left:matches([property.name=/^(innerHTML|outerHTML|srcdoc)$/], [property.value=/^(innerHTML|outerHTML|srcdoc)$/])',
    message: 'Never assign HTML: set textContent, or build elements with document.createElement.',
  },
  {
    selector:
      'CallExpression[callee.property.name=/^(insertAdjacentHTML|createContextualFragment|setHTMLUnsafe|parseHTMLUnsafe)$/]',
    message: 'Never parse a string as HTML: build elements with document.createElement and set textContent.',
  },
  {
    selector: 'CallExpression[callee.object.name="document"][callee.property.name=/^(write|writeln)$/]',
    message: 'Never document.write: build elements with document.createElement and set textContent.',
  },
  {
    selector: 'CallExpression[callee.property.name="parseFromString"][arguments.1.value="text/html"]',
    message: 'Never parse a string as an HTML document.',
  },
  {
    selector: 'CallExpression[callee.property.name="setAttribute"][arguments.0.value=/^(srcdoc|on[a-z]+)$/i]',
    message: 'Never set markup or script through an attribute (srcdoc, on* handlers): use addEventListener.',
  },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'dist',
      'dist-*',
      'runs',
      'coverage',
      'test/output',
      '.device',
      'scratch',
      'test-results',
      'playwright-report',
      'blob-report',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // No HTML from strings, and no code from strings: the build's Content-Security-Policy forbids eval as well
    // (vite.config.ts), so such code would fail only in the browser.
    files: ['src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': ['error', ...HTML_SINKS],
      'no-eval': 'error',
      'no-new-func': 'error',
      'no-script-url': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      ...layerRule(['ml', 'engine', 'state', 'render', 'views', 'cli']),
      'no-restricted-syntax': [
        'error',
        ...HTML_SINKS,
        { selector: 'ImportDeclaration[source.value=/tensorflow/]', message: 'core/ is pure: no tfjs.' },
      ],
    },
  },
  { files: ['src/ml/**/*.ts'], rules: layerRule(['engine', 'state', 'render', 'views', 'cli']) },
  { files: ['src/engine/**/*.ts'], rules: layerRule(['state', 'render', 'views', 'cli']) },
  { files: ['src/state/**/*.ts'], rules: layerRule(['render', 'views', 'cli']) },
  { files: ['src/render/**/*.ts'], rules: layerRule(['views', 'cli']) },
  { files: ['src/views/**/*.{ts,tsx}', 'src/main.tsx'], ...reactHooks.configs.flat['recommended-latest'] },
  {
    files: ['src/views/**/*.{ts,tsx}', 'src/state/**/*.ts', 'src/render/**/*.ts', 'src/main.tsx'],
    rules: mainThreadRule,
  },
  {
    files: [
      'src/ml/backendNames.ts',
      'src/ml/methods/info.ts',
      'src/ml/methods/catalog.ts',
      'src/ml/methods/*.info.ts',
      'src/engine/protocol.ts',
      'src/engine/enginePool.ts',
    ],
    rules: tfjsFreeRule,
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
  prettier,
);
