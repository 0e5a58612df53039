import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly'
      }
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
      ],
      'no-console': ['error', { allow: ['error'] }]
    }
  },
  {
    // Every line the step prints goes through src/base/log.ts, which makes it inert.
    files: ['src/**'],
    ignores: ['src/base/log.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['info', 'warning', 'error', 'notice', 'debug', 'setFailed', 'startGroup', 'group'].map(
          (property) => ({
            object: 'core',
            property,
            message: 'Print through src/base/log.ts, the one gate that makes wire text inert.'
          })
        ),
        { object: 'process', property: 'stdout', message: 'Print through src/base/log.ts.' }
      ],
      'no-console': 'error'
    }
  },
  {
    files: ['emulator/**', 'scripts/**', 'bench/**', '__tests__/**'],
    rules: { 'no-console': 'off' }
  }
)
