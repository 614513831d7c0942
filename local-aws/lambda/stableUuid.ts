import { createHash } from "node:crypto";

/**
 * A UUID-shaped identifier derived from `seed`: the same seed always gives the same one,
 * so that seeded state (revision IDs, mapping UUIDs) is stable from run to run.
 *
 * @example
 * ```ts
 * stableUuid("revision:echo"); // "5d0c…-…"
 * ```
 */
export function stableUuid(seed: string): string {
  const hex = createHash("sha256").update(seed).digest("hex");
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20, 32),
  ].join("-");
}
