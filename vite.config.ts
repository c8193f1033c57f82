// The dashboard (dashboards/, a later issue) is built with Vite; src/ and sim/ are
// browser-safe so it can run the simulator in a Web Worker.
import { defineConfig } from "vite"

export default defineConfig({
  root: "dashboards",
  server: { host: "127.0.0.1" }
})
