/**
 * An instant as Lambda prints `LastModified` and `CreatedDate`: ISO-8601 with
 * milliseconds and a `+0000` offset.
 *
 * @example
 * ```ts
 * lambdaTimestamp(Date.UTC(2025, 0, 1)); // "2025-01-01T00:00:00.000+0000"
 * ```
 */
export function lambdaTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace("Z", "+0000");
}
