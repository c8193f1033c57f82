// Prints one plain closing line, "N passed, N failed, N skipped", after vitest's own summary,
// so CI logs end with a line any tool can read.
import type { Reporter, TestModule } from "vitest/node"

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0, failed = 0, skipped = 0
    for (const m of modules) {
      let failedHere = 0
      for (const t of m.children.allTests()) {
        const state = t.result().state
        if (state === "passed") passed++
        else if (state === "failed") failedHere++
        else skipped++
      }
      // A file that failed outside its tests (a hook, an import) counts as one failure.
      if (m.state() === "failed" && failedHere === 0) failedHere = 1
      failed += failedHere
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`)
  }
}
