import type { Location } from "../aws/call.js";
import {
  describeFunction,
  FUNCTION_NAME_RULE,
  functionArnFor,
  parseFunctionName,
  QUALIFIER_PATTERN,
} from "../aws/functionName.js";
import { jsonNodesWithin } from "../jsonDepth.js";
import { wholeNumberInput } from "../wholeNumberInput.js";
import { withMeta, z } from "../zodMini.js";

/** Moved to policyRevision.ts; re-exported for the modules that import it from here. */
export { revisionIdInput } from "./policyRevision.js";

/** The input naming a function, as every function action takes it. */
export const functionNameInput = withMeta(
  z
    .string({
      error: (issue) => (issue.input === undefined ? "is required" : "must be a string"),
    })
    .check(z.refine((v) => parseFunctionName(v) !== undefined, { message: FUNCTION_NAME_RULE })),
  {
    title: "Function Name",
    description:
      "The function: its name, a partial ARN (123456789012:function:name) or a full ARN.",
    examples: [
      "enrich-indicator",
      "arn:aws:lambda:us-east-1:123456789012:function:enrich-indicator",
    ],
  },
);

/**
 * The `function_name` input of an action that applies to the whole function, which
 * AWS refuses with a version or alias: refused before anything is sent. `why` ends the
 * message, e.g. "concurrency is set on the whole function".
 */
export function unqualifiedFunctionNameInput(why: string) {
  return functionNameInput.check(
    z.refine((value) => parseFunctionName(value)?.qualifier === undefined, {
      message: `must name the function without a version or alias (my-function, not my-function:live): ${why}`,
    }),
  );
}

/** The optional version or alias input. */
export const qualifierInput = withMeta(
  z.optional(
    z
      .string({ error: "must be a string" })
      .check(
        z.regex(
          QUALIFIER_PATTERN,
          "must be $LATEST, $LATEST.PUBLISHED, a version number or an alias name (1 to 128 of letters, digits, - and _)",
        ),
      ),
  ),
  {
    title: "Qualifier",
    description: "A version or alias; leave empty for the unqualified function ($LATEST).",
    examples: ["live", "3"],
  },
);

/**
 * The inputs naming one function, or one version or alias of it, for an action to spread
 * before its own: `z.strictObject({ ...functionTargetInputs, require_previous_state })`.
 */
export const functionTargetInputs = {
  function_name: functionNameInput,
  qualifier: qualifierInput,
};

/** The inputs of a read of one function, or of one version or alias of it. */
export const qualifiedFunctionInputs = z.strictObject(functionTargetInputs);

/** How long an action waits, bounded, for what it started (a function Active, an update done). */
export function waitSecondsInput(description: string) {
  return withMeta(z._default(wholeNumberInput(0, 600, "seconds"), 60), {
    title: "Wait (seconds)",
    description,
  });
}

/** An optional boolean input with its default and description. */
export function flagInput(title: string, description: string, defaultValue = false) {
  return withMeta(z._default(z.boolean({ error: "must be true or false" }), defaultValue), {
    title,
    description,
  });
}

/** What an operation on one function declares for its hints: the ARN IAM checks, and how to name it. */
export const onFunction = {
  inputs: ["function_name", "qualifier"],
  resource: (inputs: { function_name: string; qualifier?: string | undefined }, where: Location) =>
    functionArnFor(inputs.function_name, where, inputs.qualifier),
  target: (inputs: { function_name: string; qualifier?: string | undefined }) =>
    describeFunction(inputs.function_name, inputs.qualifier),
};

/** The `Qualifier` member of a command, only when the input sets one. */
export function qualifierOf(inputs: { qualifier?: string | undefined }): { Qualifier?: string } {
  return inputs.qualifier === undefined ? {} : { Qualifier: inputs.qualifier };
}

/** The inputs that name a function, and optionally a version or alias of it. */
export interface FunctionTarget {
  function_name: string;
  qualifier?: string | undefined;
}

/** The `FunctionName` and `Qualifier` members of a command on the inputs' function. */
export function functionMembers(inputs: FunctionTarget): {
  FunctionName: string;
  Qualifier?: string;
} {
  return { FunctionName: inputs.function_name, ...qualifierOf(inputs) };
}

/** The `function_name` and `qualifier` outputs: the function as the inputs named it. */
export function functionTargetOf(inputs: FunctionTarget): {
  function_name: string;
  qualifier: string | null;
} {
  return { function_name: inputs.function_name, qualifier: inputs.qualifier ?? null };
}

/** JSON text from AWS (policies, statements) parsed, or the text itself when it is not JSON. */
export function parseJsonText(text: string | undefined): unknown {
  if (text === undefined) {
    return null;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Deepest nesting a JSON input may have: deeper values cannot be serialised safely. */
export const MAX_JSON_DEPTH = 1000;

/** A JSON value, as the payload input takes it. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

/**
 * Whether `value` is JSON (objects, lists, strings, finite numbers, booleans, null)
 * nested at most {@link MAX_JSON_DEPTH} levels, checked without recursion.
 */
function isJsonWithinDepth(value: unknown): boolean {
  return jsonNodesWithin(value, MAX_JSON_DEPTH, (node) =>
    typeof node === "number" ? Number.isFinite(node) : isJsonLeafOrContainer(node),
  );
}

function isJsonLeafOrContainer(node: unknown): boolean {
  if (node === null || typeof node === "string" || typeof node === "boolean") {
    return true;
  }
  if (Array.isArray(node)) {
    return true;
  }
  return typeof node === "object" && Object.getPrototypeOf(node) === Object.prototype;
}

/**
 * An input that takes any JSON value and passes it on as it is. Unlike `z.json()`, it
 * does not copy the value: a 6 MB payload is not held twice.
 *
 * @example
 * ```ts
 * z.strictObject({ payload: z.optional(jsonInput()) });
 * ```
 */
export function jsonInput() {
  return z.custom<JsonValue>(isJsonWithinDepth, {
    error: `must be JSON (objects, lists, strings, finite numbers, true, false or null), nested at most ${MAX_JSON_DEPTH} levels`,
  });
}

/** An instant as AWS writes it: ISO 8601 with a `Z` or a numeric offset (`+0000`, `+00:00`). */
const AWS_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * An instant from AWS in the one form every output uses: ISO 8601 in UTC with
 * milliseconds and `Z`. AWS writes `LastModified` with `+0000`, other members with `Z`,
 * and the SDK turns some into a `Date`; null when AWS gave none or an unreadable one.
 *
 * @example
 * ```ts
 * isoTimestamp("2026-02-27T09:14:03.000+0000"); // "2026-02-27T09:14:03.000Z"
 * ```
 */
export function isoTimestamp(value: string | Date | undefined): string | null {
  if (value === undefined) {
    return null;
  }
  if (typeof value === "string" && !AWS_TIMESTAMP.test(value)) {
    return null;
  }
  const instant = typeof value === "string" ? new Date(value) : value;
  return Number.isNaN(instant.getTime()) ? null : instant.toISOString();
}

/**
 * A timestamp output, as {@link isoTimestamp} writes it. Its key is `last_modified` or
 * ends in `_at` (the vocabulary test checks both ways, by this schema's `date-time`).
 */
export function timestampOutput(description: string) {
  return withMeta(z.nullable(z.string()), {
    format: "date-time",
    description: `${description} ISO 8601 in UTC, e.g. 2026-03-01T12:00:00.000Z; null when AWS gave none.`,
  });
}

/**
 * The members of an SDK command (or block) that `source` sets, by a table from its keys
 * to the members' names: a key left unset leaves its member out, so AWS keeps or
 * defaults it. One table instead of a `...(x === undefined ? {} : { X: x })` a member.
 *
 * @example
 * ```ts
 * definedMembers({ handler: "app.handler", timeout: undefined }, { handler: "Handler", timeout: "Timeout" });
 * // { Handler: "app.handler" }
 * ```
 */
export function definedMembers<
  Source extends object,
  const Table extends { readonly [K in keyof Source]?: string },
>(
  source: Source,
  table: Table,
): { [K in keyof Table & keyof Source as Table[K] & string]?: Exclude<Source[K], undefined> } {
  const members: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(table)) {
    const value = source[key as keyof Source];
    if (value !== undefined) {
      members[member as string] = value;
    }
  }
  return members as {
    [K in keyof Table & keyof Source as Table[K] & string]?: Exclude<Source[K], undefined>;
  };
}
