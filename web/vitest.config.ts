import { defineConfig } from 'vitest/config';

// Unit tests of the console's logic (auth, session, API client, navigation) in Node, no browser:
// `npm test`. The browser test of the whole console is e2e/ (`npm run test:browser`).
export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/test/setup.ts'],
    restoreMocks: true,
    unstubGlobals: true,
  },
});
