import { jsonReply } from "../http/jsonReply.js";
import type { Step } from "../http/Reply.js";
import { type LambdaCall, type Serve, serve } from "./LambdaCall.js";
import { lambdaError } from "./lambdaError.js";
import type { PageMarkers } from "./PageMarkers.js";
import type { ValidationProblems } from "./ValidationProblems.js";

/** One page of a listing, and the marker of the next when more remain. */
export interface Page<T> {
  items: T[];
  nextMarker: string | undefined;
}

/** How to cut a listing into pages. */
export interface PageRequest<T> {
  /** Which listing this is (operation, region, filters): a marker is only good for its own. */
  scope: string;
  /** Where the previous page stopped; undefined (or empty) for the first page. */
  marker: string | undefined;
  /** How many the caller asked for, capped at `pageLimit`. */
  maxItems: number;
  /** The most Lambda returns a call for this listing, whatever `MaxItems` says. */
  pageLimit: number;
  /** A key unique within the listing, to resume after. */
  keyOf: (item: T) => string;
}

/**
 * Reads a listing's `MaxItems` query parameter: an integer from 1 to `limit`, or
 * `fallback` when absent; out-of-range values become problems, as Lambda's model words them.
 *
 * @example
 * ```ts
 * const maxItems = readMaxItems(call.query, problems, 10000, 50);
 * ```
 */
export function readMaxItems(
  query: URLSearchParams,
  problems: ValidationProblems,
  limit: number,
  fallback: number,
): number {
  const raw = query.get("MaxItems");
  if (raw === null) {
    return fallback;
  }
  if (!/^-?\d+$/.test(raw)) {
    problems.add(raw, "maxItems", "Member must be an integer");
  } else if (Number(raw) < 1) {
    problems.add(raw, "maxItems", "Member must have value greater than or equal to 1");
  } else if (Number(raw) > limit) {
    problems.add(raw, "maxItems", `Member must have value less than or equal to ${limit}`);
  }
  return Number(raw);
}

/**
 * One page of `items` (already in listing order) after `marker`, with an opaque signed
 * `NextMarker` while more remain. A marker resumes after the item it names; if that item
 * is gone since, after the position it had. A marker this endpoint did not issue for the
 * same listing is Lambda's 400 InvalidParameterValueException.
 *
 * @example
 * ```ts
 * const page = paginate(versions, { scope, marker, maxItems: 2, pageLimit: 50, keyOf: (v) => v }, markers);
 * // { ok: true, value: { items: ["$LATEST", "1"], nextMarker: "eyJz…" } }
 * ```
 */
export function paginate<T>(
  items: T[],
  request: PageRequest<T>,
  markers: PageMarkers,
): Step<Page<T>> {
  let start = 0;
  if (request.marker !== undefined && request.marker !== "") {
    const cursor = markers.read(request.scope, request.marker);
    if (cursor === undefined) {
      return {
        ok: false,
        reply: lambdaError(
          400,
          "InvalidParameterValueException",
          `Invalid marker: ${request.marker}`,
        ),
      };
    }
    const { key, position } = JSON.parse(cursor) as { key: string; position: number };
    const found = items.findIndex((item) => request.keyOf(item) === key);
    start = found < 0 ? Math.min(position, items.length) : found + 1;
  }
  const page = items.slice(start, start + Math.min(request.maxItems, request.pageLimit));
  const last = page.at(-1);
  const more = start + page.length < items.length;
  return {
    ok: true,
    value: {
      items: page,
      nextMarker:
        more && last !== undefined
          ? markers.issue(
              request.scope,
              JSON.stringify({ key: request.keyOf(last), position: start + page.length }),
            )
          : undefined,
    },
  };
}

/**
 * The work that answers a listing call with one page: `{ [listName]: described items,
 * NextMarker }`, the page cut as {@link paginate} cuts it with the call's `Marker`;
 * Lambda's 400 for a marker that is not one of this listing's.
 *
 * @example
 * ```ts
 * return servePage(call, executions, { scope, maxItems, pageLimit: 50, keyOf: (e) => e.id }, "DurableExecutions", describe);
 * ```
 */
export function servePage<T>(
  call: Pick<LambdaCall, "query" | "markers">,
  items: T[],
  request: Omit<PageRequest<T>, "marker">,
  listName: string,
  describe: (item: T) => object,
): Step<Serve> {
  const page = paginate(
    items,
    { ...request, marker: call.query.get("Marker") ?? undefined },
    call.markers,
  );
  if (!page.ok) {
    return page;
  }
  const { items: shown, nextMarker } = page.value;
  return serve(() =>
    jsonReply({
      [listName]: shown.map(describe),
      ...(nextMarker === undefined ? {} : { NextMarker: nextMarker }),
    }),
  );
}
