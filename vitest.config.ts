import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["./test/support/redis-global.ts"],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    reporters: ["default", "./test/support/summary-reporter.ts"]
  }
})
