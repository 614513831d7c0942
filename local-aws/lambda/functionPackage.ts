import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { FunctionDefinition } from "../World.js";

/** A deployment package's size and SHA-256 (base64), as Lambda reports them. */
export interface PackageStats {
  sizeBytes: number;
  sha256: string;
}

/**
 * The function's deployment package: what CreateFunction received, or else its code file.
 *
 * @example
 * ```ts
 * functionPackage(fn); // { sizeBytes: 312, sha256: "q1b…=" }
 * ```
 */
export function functionPackage(fn: FunctionDefinition): PackageStats {
  if (fn.codePackage !== undefined) {
    return fn.codePackage;
  }
  const code = readFileSync(fn.code);
  return { sizeBytes: code.length, sha256: createHash("sha256").update(code).digest("base64") };
}
