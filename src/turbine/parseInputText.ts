import { InvalidInputError } from "../errors.js";

/** Text that may hold a number JSON.parse turns into Infinity: a 3-digit exponent or 309+ digits. */
const MAY_OVERFLOW = /[eE][+]?\d{3}|\d{309}/;

/**
 * The JSON document on standard input, parsed, with what JSON.parse would silently
 * change refused instead: a `__proto__` key (zod and most code drop it, so the data
 * would not reach the function as sent) and a number too large to be finite. Empty
 * input counts as `{}`, as Turbine sends it for an action run without inputs.
 *
 * @example
 * ```ts
 * parseInputText('{"region_name": "us-east-1"}'); // { region_name: "us-east-1" }
 * parseInputText('{"payload": {"n": 1e400}}');     // throws, naming payload.n
 * ```
 */
export function parseInputText(text: string): unknown {
  if (text.trim() === "") {
    return {};
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (cause) {
    throw new InvalidInputError("usage", "Standard input is not valid JSON.", {
      hint: 'Send one JSON object on standard input, e.g. {"region_name": "us-east-1", "function_name": "echo"}.',
      cause,
    });
  }
  if (text.includes('"__proto__"') || MAY_OVERFLOW.test(text)) {
    refuseSilentChanges(document);
  }
  return document;
}

/** Walks the document without recursion (it may be nested thousands deep). */
function refuseSilentChanges(document: unknown): void {
  const stack: Array<[unknown, string[]]> = [[document, []]];
  while (stack.length > 0) {
    const [value, path] = stack.pop() as [unknown, string[]];
    if (typeof value === "number" && !Number.isFinite(value)) {
      throw refusal(
        path,
        "is a number too large to represent (it would become infinity)",
        "Send it as a string, or as a smaller number.",
      );
    }
    if (typeof value !== "object" || value === null) {
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      if (key === "__proto__") {
        throw refusal(
          [...path, key],
          'is a key named "__proto__", which JavaScript code drops or treats as the prototype, so it would not reach the function as sent',
          'Rename the key; "__proto__" cannot be passed through safely.',
        );
      }
      stack.push([child, Array.isArray(value) ? [...path, `[${key}]`] : [...path, key]]);
    }
  }
}

function refusal(path: readonly string[], problem: string, hint: string): InvalidInputError {
  const field = fieldOf(path);
  return new InvalidInputError("invalid_input", `${field}: ${problem}`, {
    field,
    hint: `Nothing was sent. ${hint}`,
  });
}

/** A dotted path for the error line, without the explicit form's "inputs."/"asset." wrapper. */
function fieldOf(path: readonly string[]): string {
  const inner = path[0] === "inputs" || path[0] === "asset" ? path.slice(1) : path;
  return inner.join(".").replaceAll(".[", "[") || "(document)";
}
