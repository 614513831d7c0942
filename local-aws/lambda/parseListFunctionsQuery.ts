import type { Step } from "../http/Reply.js";
import { lambdaError } from "./lambdaError.js";

/** ListFunctions' query parameters, once they passed the model's constraints. */
export interface ListFunctionsQuery {
  /** 1 to 10000; 50 when not given. Lambda returns at most 50 a page whatever it says. */
  maxItems: number;
  /** `FunctionVersion=ALL`: every published version besides `$LATEST`. */
  allVersions: boolean;
  /** Lambda@Edge: only replicas of functions from this region (or `ALL`). */
  masterRegion: string | undefined;
  /** Where the previous page stopped; undefined for the first page (an empty one too). */
  marker: string | undefined;
}

const DEFAULT_MAX_ITEMS = 50;
const MAX_ITEMS_LIMIT = 10000;
const MASTER_REGION = "ALL|[a-z]{2}(-gov)?-[a-z]+-\\d{1}";

/**
 * Reads ListFunctions' `MaxItems`, `FunctionVersion`, `MasterRegion` and `Marker`, and
 * answers a value outside the model's constraints with Lambda's ValidationException,
 * naming every failing member at once as AWS does.
 *
 * @example
 * ```ts
 * parseListFunctionsQuery(new URLSearchParams("MaxItems=0&FunctionVersion=SOME"));
 * // 400 ValidationException: "2 validation errors detected: Value '0' at 'maxItems' …; Value 'SOME' at 'functionVersion' …"
 * ```
 */
export function parseListFunctionsQuery(query: URLSearchParams): Step<ListFunctionsQuery> {
  const problems: string[] = [];
  const maxItems = query.get("MaxItems");
  if (maxItems !== null && !/^-?\d+$/.test(maxItems)) {
    problems.push(
      `Value '${maxItems}' at 'maxItems' failed to satisfy constraint: Member must be an integer`,
    );
  } else if (maxItems !== null && Number(maxItems) < 1) {
    problems.push(
      `Value '${maxItems}' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1`,
    );
  } else if (maxItems !== null && Number(maxItems) > MAX_ITEMS_LIMIT) {
    problems.push(
      `Value '${maxItems}' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to ${MAX_ITEMS_LIMIT}`,
    );
  }
  const functionVersion = query.get("FunctionVersion");
  if (functionVersion !== null && functionVersion !== "ALL") {
    problems.push(
      `Value '${functionVersion}' at 'functionVersion' failed to satisfy constraint: Member must satisfy enum value set: [ALL]`,
    );
  }
  const masterRegion = query.get("MasterRegion");
  if (masterRegion !== null && !new RegExp(`^(${MASTER_REGION})$`).test(masterRegion)) {
    problems.push(
      `Value '${masterRegion}' at 'masterRegion' failed to satisfy constraint: Member must satisfy regular expression pattern: ${MASTER_REGION}`,
    );
  }
  if (problems.length > 0) {
    const count = `${problems.length} validation error${problems.length === 1 ? "" : "s"}`;
    return {
      ok: false,
      reply: lambdaError(400, "ValidationException", `${count} detected: ${problems.join("; ")}`),
    };
  }
  const marker = query.get("Marker");
  return {
    ok: true,
    value: {
      maxItems: maxItems === null ? DEFAULT_MAX_ITEMS : Number(maxItems),
      allVersions: functionVersion === "ALL",
      masterRegion: masterRegion ?? undefined,
      marker: marker === null || marker === "" ? undefined : marker,
    },
  };
}
