import type { Step } from "../http/Reply.js";
import type { World } from "../World.js";
import { describeFunction } from "./describeFunction.js";
import { lambdaError } from "./lambdaError.js";
import type { PageMarkers } from "./PageMarkers.js";
import type { ListFunctionsQuery } from "./parseListFunctionsQuery.js";
import type { ResolvedFunction } from "./resolveFunctionTarget.js";

/** Lambda returns at most this many functions a call, whatever `MaxItems` asks for. */
const PAGE_LIMIT = 50;

function versionRank(version: string): number {
  return version === "$LATEST" ? -1 : Number(version);
}

interface ListingKey {
  name: string;
  version: string;
}

function keyOf(entry: ResolvedFunction): ListingKey {
  return { name: entry.fn.name, version: entry.version };
}

/** Listing order: by name, then `$LATEST` before the published versions in their order. */
function compareKeys(a: ListingKey, b: ListingKey): number {
  if (a.name !== b.name) {
    return a.name < b.name ? -1 : 1;
  }
  return versionRank(a.version) - versionRank(b.version);
}

function invalidParameter(message: string): Step<never> {
  return { ok: false, reply: lambdaError(400, "InvalidParameterValueException", message) };
}

/**
 * ListFunctions' answer: the functions of the world in `region`, by name (with
 * `FunctionVersion=ALL`, each one's `$LATEST` and then its published versions, under
 * qualified ARNs), described as GetFunction describes them, at most 50 a page, with a
 * `NextMarker` while more remain. A marker this endpoint did not issue for the same
 * region and parameters is a 400 InvalidParameterValueException. With `MasterRegion`
 * (which needs `FunctionVersion=ALL`) the list is empty: the world has no Lambda@Edge
 * replicas.
 *
 * @example
 * ```ts
 * const first = listFunctions(world, "us-east-1", { maxItems: 50, allVersions: false, masterRegion: undefined, marker: undefined }, markers, Date.now());
 * // { ok: true, value: { Functions: [ … 50 … ], NextMarker: "eyJz…" } }
 * ```
 */
export function listFunctions(
  world: World,
  region: string,
  query: ListFunctionsQuery,
  markers: PageMarkers,
  now: number,
): Step<object> {
  if (query.masterRegion !== undefined && !query.allVersions) {
    return invalidParameter("MasterRegion can only be specified with FunctionVersion ALL.");
  }
  const entries: ResolvedFunction[] =
    query.masterRegion !== undefined
      ? []
      : world.functions
          .filter((fn) => fn.region === region)
          .flatMap((fn) =>
            (query.allVersions ? ["$LATEST", ...(fn.versions ?? [])] : ["$LATEST"]).map(
              (version) => ({ fn, version }),
            ),
          )
          .sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
  const scope = JSON.stringify([region, query.allVersions, query.masterRegion ?? null]);
  let start = 0;
  if (query.marker !== undefined) {
    const cursor = markers.read(scope, query.marker);
    if (cursor === undefined) {
      return invalidParameter(`Invalid marker: ${query.marker}`);
    }
    // Names cannot hold a colon, so the first one ends the name.
    const colon = cursor.indexOf(":");
    const after = { name: cursor.slice(0, colon), version: cursor.slice(colon + 1) };
    const next = entries.findIndex((entry) => compareKeys(keyOf(entry), after) > 0);
    start = next < 0 ? entries.length : next;
  }
  const page = entries.slice(start, start + Math.min(query.maxItems, PAGE_LIMIT));
  const last = page.at(-1);
  const more = start + page.length < entries.length;
  return {
    ok: true,
    value: {
      Functions: page.map((entry) => {
        const functionArn = `arn:aws:lambda:${region}:${world.accountId}:function:${entry.fn.name}`;
        return describeFunction(entry, {
          functionArn: query.allVersions ? `${functionArn}:${entry.version}` : functionArn,
          world,
          now,
          operation: "ListFunctions",
        });
      }),
      ...(more && last !== undefined
        ? { NextMarker: markers.issue(scope, `${last.fn.name}:${last.version}`) }
        : {}),
    },
  };
}
