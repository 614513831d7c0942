import { z } from "zod";
import { loadActions } from "../../src/actions/actionList.js";
import { ASSET_DEPENDENT_REQUIRED, assetSchema } from "../../src/asset/schema.js";
import { CONNECTOR } from "../../src/connector.js";

/** An example run of an action: what goes in, what comes out. */
export interface ActionExample {
  inputs: Record<string, unknown>;
  output: Record<string, unknown>;
}

/** One manifest file: where it goes and what it holds. */
export interface Manifest {
  path: string;
  content: Record<string, unknown>;
}

/**
 * Every manifest of the package, built from the zod schemas so that the YAML files
 * can never drift from what the code validates. Inputs are described as the user
 * writes them (defaults optional), outputs as the connector prints them.
 *
 * @example
 * ```ts
 * for (const { path, content } of await buildManifests("1.2.0")) writeYaml(path, content);
 * ```
 */
export async function buildManifests(
  version: string,
  examples: ReadonlyMap<string, ActionExample> = new Map(),
): Promise<Manifest[]> {
  const { asset, ...connector } = CONNECTOR;
  const actions = await loadActions();
  return [
    {
      path: "connector.yaml",
      content: { schema: "connector/1", ...connector, keywords: [...connector.keywords], version },
    },
    {
      path: `assets/${asset.name}.yaml`,
      content: {
        schema: "asset/1",
        ...asset,
        inputs: {
          ...jsonSchema(assetSchema, "input"),
          dependentRequired: Object.fromEntries(
            Object.entries(ASSET_DEPENDENT_REQUIRED).map(([field, needs]) => [field, [...needs]]),
          ),
        },
      },
    },
    ...actions.map(({ action, group }) => {
      const example = examples.get(action.name);
      return {
        path: `actions/${action.name}.yaml`,
        content: {
          schema: "action/1",
          name: action.name,
          title: action.title,
          description: action.description,
          inputs: withExample(jsonSchema(action.inputs, "input"), example?.inputs),
          output: withExample(jsonSchema(action.output, "output"), example?.output),
          meta: {
            asset: asset.name,
            group,
            iam_actions: [...action.iamActions],
          },
        },
      };
    }),
  ];
}

function withExample(
  schema: Record<string, unknown>,
  example: Record<string, unknown> | undefined,
): Record<string, unknown> {
  return example === undefined ? schema : { ...schema, examples: [example] };
}

/**
 * The JSON Schema of a zod schema, as a manifest holds it: without the draft tag, without
 * the safe-integer bounds zod adds to every `.int()` (they say nothing a reader needs),
 * and with its shared definitions named by what they are, not `__schema0`.
 */
export function jsonSchema(
  schema: z.core.$ZodType,
  io: "input" | "output",
): Record<string, unknown> {
  const { $schema: _draft, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" });
  return withNamedDefinitions(withoutSafeIntegerBounds(rest) as Record<string, unknown>);
}

/** `node` without `minimum: -(2^53 - 1)` and `maximum: 2^53 - 1`, at any depth. */
function withoutSafeIntegerBounds(node: unknown): unknown {
  if (Array.isArray(node)) {
    return node.map(withoutSafeIntegerBounds);
  }
  if (typeof node !== "object" || node === null) {
    return node;
  }
  return Object.fromEntries(
    Object.entries(node)
      .filter(
        ([key, value]) =>
          !(key === "minimum" && value === Number.MIN_SAFE_INTEGER) &&
          !(key === "maximum" && value === Number.MAX_SAFE_INTEGER),
      )
      .map(([key, value]) => [key, withoutSafeIntegerBounds(value)]),
  );
}

/** The definition zod writes for `z.json()`, with `SELF` where it refers to itself. */
const JSON_VALUE_DEFINITION = JSON.stringify({
  anyOf: [
    { type: "string" },
    { type: "number" },
    { type: "boolean" },
    { type: "null" },
    { type: "array", items: { $ref: "SELF" } },
    { type: "object", propertyNames: { type: "string" }, additionalProperties: { $ref: "SELF" } },
  ],
});

/** The name every `z.json()` definition gets in a manifest: any JSON value. */
export const JSON_VALUE_DEFINITION_NAME = "json_value";

/**
 * `schema` with the definitions zod names `__schemaN` renamed: every copy of the JSON
 * value definition becomes one `json_value`. Any other unnamed definition is refused:
 * give its schema `.meta({ id: "..." })`.
 */
function withNamedDefinitions(schema: Record<string, unknown>): Record<string, unknown> {
  const defs = schema.$defs as Record<string, unknown> | undefined;
  if (defs === undefined) {
    return schema;
  }
  const renames = new Map<string, string>();
  for (const [name, definition] of Object.entries(defs)) {
    if (!name.startsWith("__schema")) {
      continue;
    }
    const self = JSON.stringify(definition).replaceAll(`"#/$defs/${name}"`, '"SELF"');
    if (self !== JSON_VALUE_DEFINITION) {
      throw new Error(
        `a schema is reused without a name (zod calls it ${name}): give it .meta({ id: "..." })`,
      );
    }
    renames.set(`#/$defs/${name}`, `#/$defs/${JSON_VALUE_DEFINITION_NAME}`);
  }
  if (renames.size === 0) {
    return schema;
  }
  const { $defs: _unnamed, ...rest } = schema;
  const renamed = JSON.parse(
    JSON.stringify(rest).replaceAll(/"(#\/\$defs\/__schema\d+)"/g, (_whole, ref: string) =>
      JSON.stringify(renames.get(ref) ?? ref),
    ),
  ) as Record<string, unknown>;
  const kept = Object.fromEntries(
    Object.entries(defs).filter(([name]) => !name.startsWith("__schema")),
  );
  const jsonValue = JSON.parse(
    JSON_VALUE_DEFINITION.replaceAll(
      '"SELF"',
      JSON.stringify(`#/$defs/${JSON_VALUE_DEFINITION_NAME}`),
    ),
  ) as unknown;
  return { ...renamed, $defs: { ...kept, [JSON_VALUE_DEFINITION_NAME]: jsonValue } };
}
