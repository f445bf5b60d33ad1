import type { Config } from 'jest';

// Four tiers (docs/testing.md): unit specs beside the code; integration, e2e and golden under test/.
// The swagger plugin runs here as in `nest build`, so the OpenAPI document is the same in both.
const tsJest: [string, Record<string, unknown>] = [
  'ts-jest',
  {
    tsconfig: 'tsconfig.json',
    astTransformers: {
      before: ['<rootDir>/test/support/swagger-plugin-transformer.js'],
    },
  },
];

const esmToCommonJs: [string, Record<string, unknown>] = [
  'ts-jest',
  { tsconfig: { allowJs: true, module: 'commonjs' }, isolatedModules: true },
];

const shared = {
  rootDir: '.',
  moduleFileExtensions: ['ts', 'js', 'json'],
  // @fastify/static (Swagger UI assets) requires the ESM-only content-disposition; Node loads it natively,
  // Jest's module system does not, so that one package is compiled to CommonJS for the tests.
  transform: {
    '^.+\\.ts$': tsJest,
    '/node_modules/content-disposition/.+\\.js$': esmToCommonJs,
  },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
  moduleNameMapper: { '^src/(.*)$': '<rootDir>/src/$1', '^test/(.*)$': '<rootDir>/test/$1' },
  testEnvironment: 'node',
  setupFiles: ['<rootDir>/test/support/setup-env.ts'],
};

const config: Config = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    { ...shared, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.spec.ts'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
    { ...shared, displayName: 'golden', testMatch: ['<rootDir>/test/golden/**/*.spec.ts'] },
  ],
};

export default config;
