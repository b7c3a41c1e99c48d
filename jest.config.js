/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  globalSetup: '<rootDir>/tests/setup/global-setup.cjs',
  setupFiles: ['<rootDir>/tests/setup/no-network.ts'],
  testTimeout: 30000,
  moduleNameMapper: { '^strip-bom$': '<rootDir>/tests/setup/strip-bom.cjs' },
};
