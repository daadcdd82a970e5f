// Vite builds the UI into dist/, which `pingan serve` serves at "/". Every
// asset is a file of its own (no inline scripts or data: fonts), because the
// server's Content-Security-Policy allows scripts and styles from 'self' only.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        // ECharts and Leaflet change far less often than pingan's own code:
        // their own chunks stay cached across UI updates.
        manualChunks: { echarts: ['echarts'], leaflet: ['leaflet'] },
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
