#!/usr/bin/env node
// From a checkout, Node ≥ 22.18 runs the TypeScript sources directly (type stripping); an
// installed huntbench (under node_modules, where Node strips no types) runs the JavaScript
// that `npm pack` compiled into dist/.
// Ctrl-C handlers go in first, before the rest of the CLI loads, and stay for the life of
// the process (adapters/cli/interrupt.ts): a signal at any moment gets the same answer.
const installed = import.meta.url.includes("/node_modules/")
const { installInterruptHandlers } = installed ? await import("../dist/adapters/cli/interrupt.js") : await import("../adapters/cli/interrupt.ts")

installInterruptHandlers()
// HUNTBENCH_TRACE=1 announces start-up on stderr, for scripts (and tests) that must act at
// a known moment rather than after a guessed delay.
if (process.env.HUNTBENCH_TRACE === "1") process.stderr.write("huntbench: trace: signal handlers installed, loading\n")
const { runMain } = installed ? await import("../dist/adapters/cli/main.js") : await import("../adapters/cli/main.ts")
runMain(process.argv.slice(2))
