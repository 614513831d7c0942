import type { z } from "zod";
import { InvalidInputError } from "./errors.js";

/** Which document a validation failure is about; decides the error code and wording. */
export type ValidatedDocument = "asset" | "inputs";

/**
 * Parses `value` with `schema`, turning every failure into one readable
 * {@link InvalidInputError} that names each offending field and what it allows.
 *
 * This is the only place schema failures become messages. Zod leaves input values
 * out of its issues unless asked to report them, and every custom message in the
 * schemas describes the rule rather than the value, so secrets cannot leak here.
 *
 * @example
 * ```ts
 * const asset = parseDocument(assetSchema, raw, "asset");
 * ```
 */
export function parseDocument<S extends z.ZodType>(
  schema: S,
  value: unknown,
  document: ValidatedDocument,
): z.output<S> {
  const result = safeParse(schema, value, document);
  if (result.success) {
    return result.data;
  }
  const problems = result.error.issues.map((issue) => describeIssue(issue, document));
  const first = problems[0];
  const label = document === "asset" ? "asset" : "action inputs";
  throw new InvalidInputError(
    document === "asset" ? "invalid_asset" : "invalid_input",
    `Invalid ${label}: ${problems.map((p) => p.text).join("; ")}`,
    {
      hint:
        document === "asset"
          ? "Edit the asset in Turbine: correct the field named above, then run the action again."
          : "Correct the action input named above in the playbook, then run the action again.",
      ...(first?.field === undefined ? {} : { field: first.field }),
      cause: result.error,
    },
  );
}

interface Problem {
  field: string | undefined;
  text: string;
}

function describeIssue(issue: z.core.$ZodIssue, document: ValidatedDocument): Problem {
  if (issue.code === "unrecognized_keys") {
    const field = issue.keys[0];
    const where = issue.path.length > 0 ? `${issue.path.join(".")}.` : "";
    return {
      field: field === undefined ? undefined : `${where}${field}`,
      text: `unknown field ${issue.keys.map((k) => `"${where}${k}"`).join(", ")} (not part of the ${document === "asset" ? "asset" : "action's inputs"}; check the spelling)`,
    };
  }
  const field = issue.path.length > 0 ? issue.path.map(String).join(".") : undefined;
  const message =
    issue.code === "invalid_type" && issue.message.endsWith("received undefined")
      ? "is required"
      : issue.message;
  return { field, text: field === undefined ? message : `${field}: ${message}` };
}

/** Zod walks JSON values recursively; a document nested deeply enough exhausts the stack. */
function safeParse<S extends z.ZodType>(schema: S, value: unknown, document: ValidatedDocument) {
  try {
    return schema.safeParse(value);
  } catch (cause) {
    if (!(cause instanceof RangeError)) {
      throw cause;
    }
    throw new InvalidInputError(
      document === "asset" ? "invalid_asset" : "invalid_input",
      `Invalid ${document === "asset" ? "asset" : "action inputs"}: a value is nested too deeply to validate`,
      {
        hint: "Flatten the payload or client_context: thousands of nested levels are more than the connector (and most functions) can handle.",
        cause,
      },
    );
  }
}
