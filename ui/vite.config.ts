import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

const page = (name: string): string => fileURLToPath(new URL(name, import.meta.url));

// Relative base: the same dist/ is loaded from tauri://localhost/ (desktop) and from
// http://127.0.0.1:PORT/ (hub), so no absolute asset paths.
export default defineConfig({
  base: './',
  plugins: [svelte()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // maplibre-gl is ~1 MB on its own; it is loaded from disk, not over a network.
    chunkSizeWarningLimit: 1600,
    // No inline scripts or data: URLs for modules (CSP script-src 'self').
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    // Two pages: the console, and the bare map the cold-start benchmark compares it with.
    rolldownOptions: {
      input: { index: page('index.html'), bare: page('bare.html') },
    },
  },
  server: { port: 5173, strictPort: true },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
  },
});
