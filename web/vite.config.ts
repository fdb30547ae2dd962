import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The console is served on the API's origin (the local runtime, or CloudFront in AWS), so every
// call is same-origin and `/config.json` holds the rest of the runtime configuration.
export default defineConfig({
  plugins: [react()],
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    // `npm run dev` against a running ./run-local: the API and config.json come from its port.
    proxy: { '/v1': 'http://127.0.0.1:3000', '/config.json': 'http://127.0.0.1:3000' },
  },
});
