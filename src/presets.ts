/**
 * Built-in scenarios (the JSON files in scenarios/), bundled so the CLI and the browser
 * see the same list. Each is validated by the scenario schema when used.
 */
import city from "../scenarios/city.json" with { type: "json" }
import contestAfter from "../scenarios/contest-after.json" with { type: "json" }
import contestBefore from "../scenarios/contest-before.json" with { type: "json" }
import coroutineAfter from "../scenarios/coroutine-after.json" with { type: "json" }
import coroutineBefore from "../scenarios/coroutine-before.json" with { type: "json" }
import defaultPreset from "../scenarios/default.json" with { type: "json" }
import pollingAfter from "../scenarios/polling-after.json" with { type: "json" }
import pollingBefore from "../scenarios/polling-before.json" with { type: "json" }
import questAfter from "../scenarios/quest-after.json" with { type: "json" }
import questBefore from "../scenarios/quest-before.json" with { type: "json" }
import reference from "../scenarios/reference.json" with { type: "json" }
import small from "../scenarios/small.json" with { type: "json" }

export const presets: Readonly<Record<string, unknown>> = {
  default: defaultPreset,
  small,
  city,
  reference,
  "polling-before": pollingBefore,
  "polling-after": pollingAfter,
  "coroutine-before": coroutineBefore,
  "coroutine-after": coroutineAfter,
  "contest-before": contestBefore,
  "contest-after": contestAfter,
  "quest-before": questBefore,
  "quest-after": questAfter
}

/** Names of the built-in scenarios. Example: `presetNames().includes("default")`. */
export const presetNames = (): Array<string> => Object.keys(presets)
