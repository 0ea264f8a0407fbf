import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const api = 'http://localhost:3000';

export default defineConfig({
  root: __dirname,
  plugins: [react()],
  build: { outDir: path.resolve(__dirname, '../../dist/web'), emptyOutDir: true },
  server: { proxy: { '/api': api, '/health': api } },
});
