import { z } from "zod";
import { loadActions } from "../../src/actions/actionList.js";
import { assetSchema } from "../../src/asset/schema.js";
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
        inputs: jsonSchema(assetSchema, "input"),
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

function jsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const { $schema: _draft, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" });
  return rest;
}
