/**
 * Every key of a JSON Schema (as the manifests hold them), with where it sits: the
 * README's output tables list them, and the vocabulary test checks their names.
 */

/** A property of a JSON Schema, as far as the keys' walk reads it. */
export interface SchemaProperty {
  type?: string | string[];
  description?: string;
  format?: string;
  enum?: unknown[];
  anyOf?: SchemaProperty[];
  items?: SchemaProperty;
  properties?: Record<string, SchemaProperty>;
  additionalProperties?: SchemaProperty | boolean;
  $ref?: string;
}

/** One key of a schema. */
export interface SchemaKey {
  /** Where it is, e.g. `previous.statement.sid`, `functions[].name`. */
  path: string;
  /** The key itself, e.g. `sid`. */
  key: string;
  /** Its schema, with a nullable object or list read as the object or list. */
  property: SchemaProperty;
  /** Whether null is allowed besides that. */
  nullable: boolean;
}

/**
 * Every key under `schema`'s properties, depth first in the schema's order, through
 * lists (`key[]`) and nullable values; maps and JSON values are leaves.
 *
 * @example
 * ```ts
 * schemaKeys({ properties: { a: { type: "object", properties: { b: { type: "string" } } } } });
 * // [{ path: "a", key: "a", … }, { path: "a.b", key: "b", … }]
 * ```
 */
export function schemaKeys(schema: SchemaProperty, prefix = ""): SchemaKey[] {
  const keys: SchemaKey[] = [];
  for (const [key, raw] of Object.entries(schema.properties ?? {})) {
    const { property, nullable } = withoutNull(raw);
    const path = `${prefix}${key}`;
    keys.push({ path, key, property, nullable });
    keys.push(...schemaKeys(property, `${path}.`));
    const item = property.items === undefined ? undefined : withoutNull(property.items).property;
    if (item !== undefined) {
      keys.push(...schemaKeys(item, `${path}[].`));
    }
  }
  return keys;
}

/** A property without its `null` alternative, and whether it had one. */
function withoutNull(property: SchemaProperty): { property: SchemaProperty; nullable: boolean } {
  const alternatives = property.anyOf;
  if (alternatives === undefined) {
    const types = Array.isArray(property.type) ? property.type : undefined;
    return { property, nullable: types?.includes("null") ?? false };
  }
  const others = alternatives.filter((alternative) => alternative.type !== "null");
  const only = others.length === 1 ? others[0] : undefined;
  if (only === undefined) {
    return { property, nullable: others.length < alternatives.length };
  }
  const { anyOf: _alternatives, ...rest } = property;
  return { property: { ...only, ...rest }, nullable: others.length < alternatives.length };
}

/** How a key's type reads in a table: `string or null`, `list of object`, `any JSON`. */
export function typeName({ property, nullable }: Pick<SchemaKey, "property" | "nullable">): string {
  const type = Array.isArray(property.type)
    ? property.type.filter((t) => t !== "null").join(" or ")
    : property.type === "array"
      ? `list of ${property.items === undefined ? "any JSON" : typeName(withoutNull(property.items))}`
      : property.enum !== undefined
        ? property.enum.map((value) => `\`${String(value)}\``).join(", ")
        : (property.type ?? "any JSON");
  const named = property.format === "date-time" ? "timestamp" : type;
  return nullable || (Array.isArray(property.type) && property.type.includes("null"))
    ? `${named} or null`
    : named;
}
