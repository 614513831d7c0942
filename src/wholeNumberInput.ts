import { z } from "zod";

/**
 * A whole-number input from `min` to `max`, its messages naming the `unit` it counts in
 * ("seconds", "bytes"; none for a plain count). The caller adds its default or
 * `.optional()`, and its meta.
 *
 * @example
 * ```ts
 * wholeNumberInput(1, 900, "seconds").optional(); // 0.5: "must be a whole number of seconds"
 * ```
 */
export function wholeNumberInput(min: number, max: number, unit?: string) {
  const whole = `must be a whole number${unit === undefined ? "" : ` of ${unit}`}`;
  const range = `must be between ${min} and ${max}${unit === undefined ? "" : ` ${unit}`}`;
  return z.number({ error: whole }).int(whole).min(min, range).max(max, range);
}
