// The dashboard: a Vite app in dashboards/ that runs src/ and sim/ (browser-safe) in a Web
// Worker. `huntbench dashboard` serves it on 127.0.0.1.
import { fileURLToPath } from "node:url"
import { defineConfig } from "vite"

export default defineConfig({
  root: fileURLToPath(new URL("./dashboards", import.meta.url)),
  server: { host: "127.0.0.1", strictPort: true, fs: { allow: [fileURLToPath(new URL(".", import.meta.url))] } },
  worker: { format: "es" },
  // Scan the page and the worker up front, so the first visit does not reload mid-way.
  optimizeDeps: { entries: ["index.html", "worker.ts"], include: ["effect", "d3", "hdr-histogram-js"] },
  logLevel: "warn",
  clearScreen: false
})
