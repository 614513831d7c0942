import { z } from "./zodMini.js";

/**
 * A whole-number input from `min` to `max`, its messages naming the `unit` it counts in
 * ("seconds", "bytes"; none for a plain count). The caller makes it optional or gives
 * it a default, and its meta.
 *
 * @example
 * ```ts
 * z.optional(wholeNumberInput(1, 900, "seconds")); // 0.5: "must be a whole number of seconds"
 * ```
 */
export function wholeNumberInput(min: number, max: number, unit?: string) {
  const whole = `must be a whole number${unit === undefined ? "" : ` of ${unit}`}`;
  const range = `must be between ${min} and ${max}${unit === undefined ? "" : ` ${unit}`}`;
  return z.number({ error: whole }).check(z.int(whole), z.gte(min, range), z.lte(max, range));
}
