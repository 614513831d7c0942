import { type $ZodIssue, type $ZodType, type output, safeParse as zodSafeParse } from "zod/v4/core";
import { InvalidInputError } from "./errors.js";
import { suggest } from "./suggest.js";
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
export function parseDocument<S extends $ZodType>(
  schema: S,
  value: unknown,
  document: ValidatedDocument,
): output<S> {
  const result = safeParse(schema, value, document);
  if (result.success) {
    return result.data;
  }
  const known = topLevelKeys(schema);
  const problems = result.error.issues.map((issue) => describeIssue(issue, value, document, known));
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

function describeIssue(
  issue: $ZodIssue,
  document: unknown,
  which: ValidatedDocument,
  known: readonly string[],
): Problem {
  if (issue.code === "unrecognized_keys") {
    // An empty key is still a key; quoted, so the field names something.
    const field = issue.keys[0] === "" ? '""' : issue.keys[0];
    const where = issue.path.length > 0 ? `${issue.path.join(".")}.` : "";
    const meant =
      issue.path.length === 0 && issue.keys.length === 1 && field !== undefined
        ? suggest(field, known)
        : undefined;
    return {
      field: field === undefined ? undefined : `${where}${field}`,
      text: `unknown field ${describeKeys(issue.keys.map((k) => `${where}${k}`))} (not part of the ${which === "asset" ? "asset" : "action's inputs"}; ${meant === undefined ? "check the spelling" : `did you mean "${meant}"?`})`,
    };
  }
  const field = issue.path.length > 0 ? issue.path.map(String).join(".") : undefined;
  const message =
    issue.code === "invalid_type" ? typeReason(issue, document, which) : reason(issue);
  return { field, text: field === undefined ? message : `${field}: ${message}` };
}

function reason(issue: $ZodIssue): string {
  return issue.message.startsWith("Invalid input") ? genericReason(issue) : issue.message;
}

/**
 * A wrong type says what arrived; a field that did not arrive at all is required,
 * whatever the schema's own wording for a wrong type.
 */
function typeReason(issue: $ZodIssue, document: unknown, which: ValidatedDocument): string {
  const found = valueAt(document, issue.path);
  if (!found.present) {
    return "is required";
  }
  return `${reason(issue)}, got ${describeValue(found.value, which)}`;
}

/** The value at `path` in the raw document, walked without touching prototypes. */
function valueAt(
  document: unknown,
  path: readonly PropertyKey[],
): { present: boolean; value?: unknown } {
  let node = document;
  for (const key of path) {
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, key)) {
      return { present: false };
    }
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node === undefined ? { present: false } : { present: true, value: node };
}

/**
 * What arrived, by kind. The asset's values are never quoted (a secret key typed as a
 * number is still a secret). In the inputs, numbers, booleans and a string that spells
 * one (the usual slip: "30" for 30) are quoted; other strings are described by their
 * length alone, because a wrong-typed field may hold a key or a password.
 */
function describeValue(value: unknown, which: ValidatedDocument): string {
  if (value === null) {
    return "null";
  }
  if (Array.isArray(value)) {
    return "a list";
  }
  switch (typeof value) {
    case "number":
    case "boolean":
      return which === "inputs" ? `the ${typeof value} ${String(value)}` : `a ${typeof value}`;
    case "string":
      return which === "inputs" && SPELLED_SCALAR.test(value)
        ? `the string ${JSON.stringify(value)}`
        : `a string of ${value.length} character(s)`;
    case "object":
      return "an object";
    default:
      return `a ${typeof value}`;
  }
}

const SPELLED_SCALAR = /^(?:-?\d{1,16}(?:\.\d{1,16})?|true|false|null)$/;

/** The field names an object schema declares, for "did you mean" hints. */
function topLevelKeys(schema: $ZodType): readonly string[] {
  const shape = (schema as { shape?: unknown }).shape;
  return typeof shape === "object" && shape !== null ? Object.keys(shape) : [];
}

/** More problems than this are counted, not listed: the error line must stay readable. */
const MAX_PROBLEMS_SHOWN = 10;

/** Zod's own "Invalid input" says nothing; say what was expected. */
function genericReason(issue: $ZodIssue): string {
  if (issue.code === "invalid_type") {
    return `must be ${issue.expected === "array" ? "a list" : issue.expected === "record" || issue.expected === "object" ? "an object" : `a ${issue.expected}`}`;
  }
  if (issue.code === "invalid_union") {
    return "is not a JSON value (JSON allows objects, lists, strings, finite numbers, true, false and null)";
  }
  return `is not valid (${issue.code.replaceAll("_", " ")})`;
}

/** Zod walks JSON values recursively; a document nested deeply enough exhausts the stack. */
function safeParse<S extends $ZodType>(schema: S, value: unknown, document: ValidatedDocument) {
  try {
    // A run parses each schema once: zod's compiled fast path for objects (generated
    // with `new Function` on a schema's first parse) costs more to build than it saves,
    // and, built at run time, it is never in the code cache.
    return zodSafeParse(schema, value, { jitless: true });
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
