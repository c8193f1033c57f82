/**
 * fast-check with a replay line: every property run prints nothing when it passes and, on
 * failure, the seed, the shrink path and the exact command that replays the counterexample
 * (FC_SEED/FC_PATH are read back here).
 */
import fc from "fast-check"

export const checkProperty = <T>(
  name: string,
  file: string,
  property: fc.IProperty<T> | fc.IAsyncProperty<T>,
  params: fc.Parameters<T> = {}
): Promise<void> | void => {
  const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : undefined
  const path = process.env.FC_PATH
  const p: fc.Parameters<T> = { ...params, ...(seed !== undefined ? { seed, path } : {}) }
  const report = (details: fc.RunDetails<T>) => {
    if (!details.failed) return
    const replay = `FC_SEED=${details.seed} FC_PATH=${details.counterexamplePath ?? ""} npx vitest run ${file} -t ${JSON.stringify(name)}`
    throw new Error(
      `property "${name}" failed after ${details.numRuns} run(s)\n` +
        `seed: ${details.seed}, path: ${details.counterexamplePath}\n` +
        `counterexample: ${fc.stringify(details.counterexample)}\n` +
        `cause: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}\n` +
        `replay: ${replay}`
    )
  }
  const r = fc.check(property as fc.IProperty<T>, p)
  if (r instanceof Promise) return r.then(report)
  report(r as fc.RunDetails<T>)
}
