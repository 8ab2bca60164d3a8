// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

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
  { ignores: ['node_modules', 'dist', 'runs', 'coverage', 'test/output', '.device', 'scratch'] },
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
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
  prettier,
);
