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

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'dist',
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
    files: ['src/core/**/*.ts'],
    rules: {
      ...layerRule(['ml', 'engine', 'state', 'render', 'views', 'cli']),
      'no-restricted-syntax': [
        'error',
        { selector: 'ImportDeclaration[source.value=/tensorflow/]', message: 'core/ is pure: no tfjs.' },
      ],
    },
  },
  { files: ['src/ml/**/*.ts'], rules: layerRule(['engine', 'state', 'render', 'views', 'cli']) },
  { files: ['src/engine/**/*.ts'], rules: layerRule(['state', 'render', 'views', 'cli']) },
  { files: ['src/state/**/*.ts'], rules: layerRule(['render', 'views', 'cli']) },
  { files: ['src/render/**/*.ts'], rules: layerRule(['views', 'cli']) },
  { files: ['src/views/**/*.{ts,tsx}', 'src/main.tsx'], ...reactHooks.configs.flat['recommended-latest'] },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
  prettier,
);
