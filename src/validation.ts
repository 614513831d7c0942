import type { z } from "zod";
import { InvalidInputError } from "./errors.js";
import { describeKeys } from "./turbine/contract.js";

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
  const shown = problems.slice(0, MAX_PROBLEMS_SHOWN).map((p) => p.text);
  const more = problems.length - shown.length;
  throw new InvalidInputError(
    document === "asset" ? "invalid_asset" : "invalid_input",
    `Invalid ${label}: ${shown.join("; ")}${more > 0 ? `; and ${more} more problem(s)` : ""}`,
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
    // An empty key is still a key; quoted, so the field names something.
    const field = issue.keys[0] === "" ? '""' : issue.keys[0];
    const where = issue.path.length > 0 ? `${issue.path.join(".")}.` : "";
    return {
      field: field === undefined ? undefined : `${where}${field}`,
      text: `unknown field ${describeKeys(issue.keys.map((k) => `${where}${k}`))} (not part of the ${document === "asset" ? "asset" : "action's inputs"}; check the spelling)`,
    };
  }
  const field = issue.path.length > 0 ? issue.path.map(String).join(".") : undefined;
  const message =
    issue.code === "invalid_type" && issue.message.endsWith("received undefined")
      ? "is required"
      : issue.message.startsWith("Invalid input")
        ? genericReason(issue)
        : issue.message;
  return { field, text: field === undefined ? message : `${field}: ${message}` };
}

/** More problems than this are counted, not listed: the error line must stay readable. */
const MAX_PROBLEMS_SHOWN = 10;

/** Zod's own "Invalid input" says nothing; say what was expected. */
function genericReason(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type") {
    return `must be ${issue.expected === "array" ? "a list" : issue.expected === "record" || issue.expected === "object" ? "an object" : `a ${issue.expected}`}`;
  }
  if (issue.code === "invalid_union") {
    return "is not a JSON value (JSON allows objects, lists, strings, finite numbers, true, false and null)";
  }
  return `is not valid (${issue.code.replaceAll("_", " ")})`;
}

/** Zod walks JSON values recursively; a document nested deeply enough exhausts the stack. */
function safeParse<S extends z.ZodType>(schema: S, value: unknown, document: ValidatedDocument) {
  try {
    return schema.safeParse(value);
  } catch (cause) {
    if (!(cause instanceof RangeError)) {
      throw cause;
    }
    const field = deepestField(value);
    throw new InvalidInputError(
      document === "asset" ? "invalid_asset" : "invalid_input",
      `Invalid ${document === "asset" ? "asset" : "action inputs"}: ${field ?? "a value"} is nested too deeply to validate`,
      {
        hint: "Flatten the value, or send it as a JSON-text string: thousands of nested levels are more than the connector (and most functions) can handle.",
        ...(field === undefined ? {} : { field }),
        cause,
      },
    );
  }
}

/** The top-level field whose value is nested deepest, found without recursion. */
function deepestField(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) {
    return undefined;
  }
  let deepest: { field: string; depth: number } | undefined;
  for (const [field, child] of Object.entries(value)) {
    let depth = 0;
    let level: unknown[] = [child];
    while (level.length > 0) {
      depth += 1;
      level = level.flatMap((node) =>
        typeof node === "object" && node !== null ? Object.values(node) : [],
      );
    }
    if (deepest === undefined || depth > deepest.depth) {
      deepest = { field, depth };
    }
  }
  return deepest?.field;
}
