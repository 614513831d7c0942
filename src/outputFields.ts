/*
 * What an output is made of, in one module: the kinds of field (`field`), and the output
 * vocabulary, the fields that recur across actions with their one description each.
 */
import { withMeta, z } from "./zodMini.js";

/**
 * The kinds of an output field, each with the one description the manifests publish for
 * it: a field of an output schema is its kind and what it means, written once. The JSON
 * Schema is the same as the chain it stands for (`field.nullableText(d)` is classic zod's
 * `z.string().nullable().meta({ description: d })`).
 *
 * @example
 * ```ts
 * z.object({
 *   runtime: field.nullableText("null for container-image functions."),
 *   memory_size: field.nullableNumber("Memory in MB."),
 * });
 * ```
 */
export const field = {
  /** A string. */
  text: (description: string) => withMeta(z.string(), { description }),
  /** A string, or null when AWS gave none or it does not apply. */
  nullableText: (description: string) => withMeta(z.nullable(z.string()), { description }),
  /** A list of strings. */
  texts: (description: string) => withMeta(z.array(z.string()), { description }),
  /** true or false. */
  flag: (description: string) => withMeta(z.boolean(), { description }),
  /** true, false or null (not known). */
  nullableFlag: (description: string) => withMeta(z.nullable(z.boolean()), { description }),
  /** A number. */
  number: (description: string) => withMeta(z.number(), { description }),
  /** A number, or null when AWS gave none. */
  nullableNumber: (description: string) => withMeta(z.nullable(z.number()), { description }),
  /** A whole number (a count, a size, a status). */
  integer: (description: string) => withMeta(z.number().check(z.int()), { description }),
  /** A whole number, or null. */
  nullableInteger: (description: string) =>
    withMeta(z.nullable(z.number().check(z.int())), { description }),
};

/*
 * The output vocabulary: the fields that recur across actions, each with the one
 * description every manifest publishes for it, so that the same key means the same thing
 * in every output. An action composes its output from these and its own fields.
 */

/** The `function_name` output: the function as the inputs named it. */
export const functionNameOutput = field.text("The function as named in the inputs.");

/** The `qualifier` output: the version or alias the inputs named, or null. */
export const qualifierOutput = field.nullableText(
  "The version or alias, as qualifier named it; null: the function itself.",
);

/** The `statement_id` output of the permission actions: the statement the inputs named. */
export const statementIdOutput = field.text("The statement id as named in the inputs.");

/** The `reserved_concurrent_executions` output: a function's reserved concurrency as it is now. */
export const reservedConcurrencyOutput = field.nullableNumber(
  "Reserved concurrent executions: 0 means every invocation is throttled; null when none is reserved.",
);

/** The `deleted` output of a delete action. */
export const deletedOutput = field.flag(
  "Whether this run deleted it; false when there was nothing to delete.",
);

/** The `code` of an error an output reports: the connector's own error code. */
export const errorCodeOutput = field.text(
  "The connector's error code, e.g. access_denied or throttled.",
);

/**
 * An error an output reports, as `{ code, message }`: the connector's error code and
 * what went wrong, as `message` says it for this output.
 *
 * @example
 * ```ts
 * previous_state_error: z.nullable(errorOutput("What the read's error said.")).meta({ description: "…" });
 * ```
 */
export function errorOutput(message: string) {
  return z.object({ code: errorCodeOutput, message: field.text(message) });
}
