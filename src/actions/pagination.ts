import { z } from "zod";
import type { Page, PageRequest, SdkCommand } from "../aws/executor.js";
import { field, functionNameOutput } from "../outputFields.js";
import { wholeNumberInput } from "../wholeNumberInput.js";

/** Longest marker taken: AWS's are far shorter, and a free-text input is always capped. */
export const MAX_MARKER_LENGTH = 4096;

/** Most items a paginated action collects in one run. */
export const MAX_ITEMS_LIMIT = 10_000;

/**
 * The inputs every paginated action takes: how many items to collect at most, and
 * the marker of an earlier run to resume from.
 *
 * @example
 * ```ts
 * const inputs = z.strictObject({ ...paginationInputs(1000), runtime: z.string().optional() });
 * ```
 */
export function paginationInputs(defaultMaxItems: number) {
  return {
    max_items: z._default(wholeNumberInput(1, MAX_ITEMS_LIMIT), defaultMaxItems).meta({
      title: "Max Items",
      description: `Collect at most this many items, across as many pages as needed (default ${defaultMaxItems}).`,
    }),
    marker: z
      .string({ error: "must be a string" })
      .min(1, "must not be empty")
      .max(
        MAX_MARKER_LENGTH,
        `must be at most ${MAX_MARKER_LENGTH} characters: a next_marker output`,
      )
      .optional()
      .meta({
        title: "Marker",
        description: "Resume where an earlier run stopped: its next_marker output.",
      }),
  };
}

/** The outputs every paginated action gives besides its items. */
export const paginationOutput = {
  truncated: field.flag(
    "true when more items exist than were returned: run again with next_marker.",
  ),
  next_marker: field.nullableText(
    "Pass as marker to continue after the last item returned; null when complete.",
  ),
};

/**
 * The outputs of a paginated action besides its list `items` (named by the plural of
 * the item): how many were returned, whether more exist, and where to resume.
 *
 * @example
 * ```ts
 * z.object({ aliases: z.array(aliasSchema), ...pageOutputs("aliases") });
 * ```
 */
export function pageOutputs(items: string) {
  return {
    count: field.integer(`How many ${items} were returned (the length of ${items}).`),
    ...paginationOutput,
  };
}

/**
 * The paging members of a List command for one page request.
 *
 * @example
 * ```ts
 * new ListAliasesCommand({ FunctionName: name, ...pageMembers(page) });
 * ```
 */
export function pageMembers(page: { marker: string | undefined; maxItems: number }): {
  MaxItems: number;
  Marker?: string;
} {
  return { MaxItems: page.maxItems, ...(page.marker === undefined ? {} : { Marker: page.marker }) };
}

/** The paging outputs of a collected page: how many, whether more exist, where to resume. */
export function pageOutcome(page: {
  items: unknown[];
  truncated: boolean;
  next_marker: string | null;
}) {
  return { count: page.items.length, truncated: page.truncated, next_marker: page.next_marker };
}

/**
 * What a Lambda List call declares besides its operation and command: it is read-only,
 * its items are what `items` picks from each answer (none when AWS leaves them out), and
 * the next page starts at the answer's NextMarker.
 *
 * @example
 * ```ts
 * call: { operation: "ListLayers", ...pagesOf((response: ListLayersCommandOutput) => response.Layers), … }
 * ```
 */
export function pagesOf<Response extends { NextMarker?: string | undefined }, Item>(
  items: (response: Response) => Item[] | undefined,
) {
  return {
    retry: "idempotent" as const,
    items: (response: Response): Item[] => items(response) ?? [],
    nextMarker: (response: Response): string | undefined => response.NextMarker,
  };
}

/**
 * The outputs of a paginated action: its list `key` of `item` (the plural of the item),
 * then how many were returned, whether more exist and where to resume.
 *
 * @example
 * ```ts
 * z.object({ layer_name: layerNameOutput, ...pageOf("layer_versions", layerVersionSchema, "…") });
 * ```
 */
export function pageOf<Key extends string, Item extends z.ZodType>(
  key: Key,
  item: Item,
  description: string,
): Record<Key, z.ZodArray<Item>> & ReturnType<typeof pageOutputs> {
  return {
    [key]: z.array(item).meta({ description }),
    ...pageOutputs(key),
  } as Record<Key, z.ZodArray<Item>> & ReturnType<typeof pageOutputs>;
}

/**
 * The list output `key` of a collected page, each item as `describe` prints it, and the
 * paging outputs (see {@link pageOutcome}).
 *
 * @example
 * ```ts
 * output: (page, inputs) => ({ layer_name: inputs.layer_name, ...pageItems(page, "layer_versions", describeLayerVersion) }),
 * ```
 */
export function pageItems<Key extends string, Item, Described>(
  page: { items: Item[]; truncated: boolean; next_marker: string | null },
  key: Key,
  describe: (item: Item) => Described,
): Record<Key, Described[]> & ReturnType<typeof pageOutcome> {
  return {
    [key]: page.items.map((item) => describe(item)),
    ...pageOutcome(page),
  } as Record<Key, Described[]> & ReturnType<typeof pageOutcome>;
}

/**
 * The call of a List action over one function's items (its versions, aliases or
 * triggers), besides its operation and resource: each page's command names the function
 * (`command` may add filters), and the output names the function and lists the items
 * under `key`, each as `describe` prints it. Its schema is {@link functionPageOf}.
 *
 * @example
 * ```ts
 * call: { operation: "ListAliases", ...onFunction,
 *   ...functionPages((members) => new ListAliasesCommand(members), (r: ListAliasesCommandOutput) => r.Aliases, "aliases", describeAlias) }
 * ```
 */
export function functionPages<
  Inputs extends { function_name: string },
  Response extends { NextMarker?: string | undefined },
  Item,
  Key extends string,
  Described,
>(
  command: (members: FunctionPageMembers, inputs: Inputs) => SdkCommand,
  items: (response: Response) => Item[] | undefined,
  key: Key,
  describe: (item: Item) => Described,
) {
  return {
    command: (inputs: Inputs, page: PageRequest) =>
      command({ FunctionName: inputs.function_name, ...pageMembers(page) }, inputs),
    ...pagesOf(items),
    output: (page: Page<Item>, inputs: Inputs) => ({
      function_name: inputs.function_name,
      ...pageItems(page, key, describe),
    }),
  };
}

/** The members of one page's List command on a function. */
export type FunctionPageMembers = ReturnType<typeof pageMembers> & { FunctionName: string };

/**
 * The output of a List action over one function's items: `function_name`, then the
 * page of `item` under `key` (see {@link pageOf}).
 */
export function functionPageOf<Key extends string, Item extends z.ZodType>(
  key: Key,
  item: Item,
  description: string,
) {
  return z.object({ function_name: functionNameOutput, ...pageOf(key, item, description) });
}
