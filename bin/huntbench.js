#!/usr/bin/env node
// Node ≥ 22.18 runs the TypeScript sources directly (type stripping); no build step.
// Until the CLI has loaded (and installed its own handlers, which stop runs cleanly), Ctrl-C
// simply exits: nothing has been started yet that would need cleaning up.
const early = () => {
  process.stderr.write("\nhuntbench: interrupted\n")
  process.exit(130)
}
process.once("SIGINT", early)
process.once("SIGTERM", early)
const { runMain } = await import("../adapters/cli/main.ts")
process.off("SIGINT", early)
process.off("SIGTERM", early)
runMain(process.argv.slice(2))
