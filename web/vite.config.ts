import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
  build: {
    outDir: 'dist',
    sourcemap: false,
    // scripts/bundle-size.mjs reads the manifest to add up what each page loads.
    manifest: true,
    rolldownOptions: {
      output: {
        // chart.js in its own chunk, shared by every page that draws and cached across deploys.
        codeSplitting: { groups: [{ name: 'chart', test: /node_modules[\\/]chart\.js/ }] },
      },
    },
  },
});
