/**
 * fast-check arbitraries from the JSON Schema that zod writes for an action's inputs
 * (the same schema the action manifests hold): values that follow the schema's types,
 * patterns, enums, ranges and required keys, preferring the schema's own examples.
 * Rules zod checks in code (refinements, fields that exclude each other) are not in the
 * JSON Schema, so a generated value may still fail validation; that is fine for
 * property tests, which count how many reach AWS.
 */
import fc from "fast-check";

/** The part of JSON Schema (draft 2020-12, as `z.toJSONSchema` writes it) read here. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  examples?: unknown[];
}

/** Past this depth, recursive definitions (JSON values) only take their scalar branches. */
const MAX_DEPTH = 3;

/** Longest generated text where the schema sets no maximum: long values are the hostile generators' job. */
const LONGEST_FREE_TEXT = 40;

/**
 * An arbitrary of values that follow `schema`.
 *
 * @example
 * ```ts
 * const inputs = schemaArbitrary(z.toJSONSchema(action.inputs, { io: "input" }) as JsonSchema);
 * fc.sample(inputs, 1); // [{ function_name: "enrich-indicator", qualifier: "live" }]
 * ```
 */
export function schemaArbitrary(
  schema: JsonSchema,
  root: JsonSchema = schema,
  depth = 0,
): fc.Arbitrary<unknown> {
  const generated = structural(schema, root, depth);
  const examples = schema.examples ?? [];
  return examples.length === 0
    ? generated
    : fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...examples) },
        { weight: 2, arbitrary: generated },
      );
}

function structural(schema: JsonSchema, root: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  if (schema.$ref !== undefined) {
    return schemaArbitrary(resolve(schema.$ref, root), root, depth + 1);
  }
  if (schema.const !== undefined) {
    return fc.constant(schema.const);
  }
  if (schema.enum !== undefined) {
    return fc.constantFrom(...schema.enum);
  }
  if (schema.anyOf !== undefined) {
    const branches =
      depth >= MAX_DEPTH ? schema.anyOf.filter((branch) => !isContainer(branch)) : schema.anyOf;
    return fc.oneof(...branches.map((branch) => schemaArbitrary(branch, root, depth + 1)));
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "string":
      return stringArbitrary(schema);
    case "integer":
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
    case "number":
      return fc.double({
        min: schema.minimum ?? -1e9,
        max: schema.maximum ?? 1e9,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return fc.array(schemaArbitrary(schema.items ?? {}, root, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 4, 4),
      });
    case "object":
      return objectArbitrary(schema, root, depth);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = schema.maxLength ?? Number.POSITIVE_INFINITY;
  if (schema.pattern === undefined) {
    return fc.string({ minLength, maxLength: Math.min(maxLength, minLength + LONGEST_FREE_TEXT) });
  }
  return fc
    .stringMatching(new RegExp(schema.pattern))
    .filter((text) => text.length >= minLength && text.length <= maxLength);
}

function objectArbitrary(
  schema: JsonSchema,
  root: JsonSchema,
  depth: number,
): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const named = fc.record(
    Object.fromEntries(
      Object.entries(properties).map(([key, property]) => [
        key,
        schemaArbitrary(property, root, depth + 1),
      ]),
    ),
    { requiredKeys: schema.required ?? [] },
  );
  const extra = schema.additionalProperties;
  if (typeof extra !== "object") {
    return named;
  }
  const keys =
    schema.propertyNames === undefined ? fc.string() : stringArbitrary(schema.propertyNames);
  const others = fc.dictionary(keys, schemaArbitrary(extra, root, depth + 1), { maxKeys: 4 });
  return fc.tuple(others, named).map(([rest, own]) => ({ ...rest, ...own }));
}

function isContainer(schema: JsonSchema): boolean {
  return schema.type === "array" || schema.type === "object" || schema.$ref !== undefined;
}

function resolve(ref: string, root: JsonSchema): JsonSchema {
  const name = /^#\/\$defs\/(.+)$/.exec(ref)?.[1];
  const target = name === undefined ? undefined : root.$defs?.[name];
  if (target === undefined) {
    throw new Error(`schemaArbitrary: cannot resolve ${ref}`);
  }
  return target;
}
