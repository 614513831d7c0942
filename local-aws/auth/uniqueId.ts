import { createHash } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/**
 * A stable IAM-style unique ID (`AIDA…`, `AROA…`): the prefix and 17 characters derived
 * from `seed`, so the same user or role always gets the same ID.
 */
export function uniqueId(prefix: string, seed: string): string {
  const digest = createHash("sha256").update(seed).digest();
  const suffix = Array.from(digest.subarray(0, 17), (byte) => ALPHABET[byte % 32]).join("");
  return `${prefix}${suffix}`;
}
