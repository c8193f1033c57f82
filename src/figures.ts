/**
 * One way to print a figure, everywhere a person reads one (the terminal summary, compare,
 * sweep, the HTML pages, the dashboard): a share as a percentage with three significant
 * digits (`1.29 %`), milliseconds with three significant digits (`0.275`, `1,230`), a count
 * with thousands separators (`12,345`). The JSON keeps the raw numbers.
 */

const sig3 = (x: number): string => x.toLocaleString("en-US", { maximumSignificantDigits: 3 })

/** A fraction as a percentage. Example: `percent(0.01289)` is "1.29 %", `percent(0)` "0 %". */
export const percent = (fraction: number): string => `${sig3(fraction * 100)} %`

/** Milliseconds, three significant digits. Example: `ms(0.2745)` is "0.275", `ms(1234.5)` "1,230". */
export const ms = (x: number): string => sig3(x)

/** A count (or a rate of one), whole, with thousands separators. Example: `count(12345.6)` is "12,346". */
export const count = (x: number): string => x.toLocaleString("en-US", { maximumFractionDigits: 0 })

/** Any other number: thousands separators, at most three decimals. Example: `num(1234.5678)` is "1,234.568". */
export const num = (x: number): string => x.toLocaleString("en-US", { maximumFractionDigits: 3 })
