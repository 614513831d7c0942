import { fileURLToPath } from "node:url";
import { DEMO_REGION } from "./defaultWorld.js";
import type { FunctionDefinition } from "./World.js";

/** Where the generated functions get their handler: the demo's `echo`. */
const ECHO_CODE = fileURLToPath(new URL("./functions/echo.js", import.meta.url));

/**
 * `count` functions named `<prefix>-001`, `<prefix>-002`, … (zero-padded, so that sorting
 * by name keeps their numeric order), each running the demo's `echo`: enough functions to
 * page through ListFunctions. No policy names them, so invoking them takes a statement of
 * the test's own; listing them takes only `lambda:ListFunctions`.
 *
 * @example
 * ```ts
 * const world = defaultWorld();
 * world.functions.push(...numberedFunctions(120));
 * const aws = await startLocalAws({ world });
 * ```
 */
export function numberedFunctions(
  count: number,
  options: { prefix?: string; region?: string } = {},
): FunctionDefinition[] {
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`count must be a non-negative integer, got ${count}`);
  }
  const prefix = options.prefix ?? "fn";
  const width = Math.max(3, String(count).length);
  return Array.from({ length: count }, (_, index) => ({
    name: `${prefix}-${String(index + 1).padStart(width, "0")}`,
    region: options.region ?? DEMO_REGION,
    code: ECHO_CODE,
    timeoutSeconds: 10,
    memorySizeMb: 128,
  }));
}
