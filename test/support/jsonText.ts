/**
 * JSON text for documents `JSON.stringify` cannot write: numbers past the double range
 * (`1e400`), nesting deeper than the stack, and `__proto__` keys, as a hostile or simply
 * unusual Turbine document may hold them.
 */

/** A piece of JSON text spliced in as it is, e.g. `1e400` or 10,000 nested brackets. */
export class RawJson {
  readonly text: string;
  /** What the piece is, for reports: the text itself may be megabytes long. */
  readonly label: string;

  constructor(text: string, label = text.length <= 40 ? text : `${text.slice(0, 40)}…`) {
    this.text = text;
    this.label = label;
  }
}

/**
 * `value` as JSON text: like `JSON.stringify`, except that a {@link RawJson} is written as
 * its text, and every own key is written, `__proto__` included.
 *
 * @example
 * ```ts
 * toJsonText({ n: new RawJson("1e400") }); // '{"n":1e400}'
 * ```
 */
export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) {
    return value.text;
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? "null" : toJsonText(item))).join(",")}]`;
  }
  if (typeof value === "object" && value !== null) {
    const members = Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map(
        (key) => `${JSON.stringify(key)}:${toJsonText((value as Record<string, unknown>)[key])}`,
      );
    return `{${members.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * An object with `key` as an own property, even `__proto__` (which an object literal or
 * assignment would take as the prototype instead).
 */
export function withOwnKey(
  target: Record<string, unknown>,
  key: string,
  value: unknown,
): Record<string, unknown> {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return target;
}
