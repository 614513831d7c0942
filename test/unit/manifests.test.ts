import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { buildManifests } from "../../scripts/lib/manifests.js";
import { loadActions } from "../../src/actions/actionList.js";
import { ASSET_FIELD_NAMES, assetSchema } from "../../src/asset/schema.js";

/** Every declared action, loaded, by id. */
const ACTIONS = new Map((await loadActions()).map(({ action }) => [action.name, action]));

/** Every `pattern` anywhere in a JSON Schema. */
function patterns(node: unknown): string[] {
  if (Array.isArray(node)) {
    return node.flatMap(patterns);
  }
  if (typeof node !== "object" || node === null) {
    return [];
  }
  return Object.entries(node).flatMap(([key, value]) =>
    key === "pattern" && typeof value === "string" ? [value] : patterns(value),
  );
}

const manifests = await buildManifests("9.9.9");

describe("buildManifests", () => {
  it("writes the connector, the asset and one manifest per action, with Turbine's tags", () => {
    expect(manifests.map((m) => [m.path, m.content.schema])).toEqual([
      ["connector.yaml", "connector/1"],
      ["assets/amazon_aws_lambda.yaml", "asset/1"],
      ...[...ACTIONS.keys()].map((name) => [`actions/${name}.yaml`, "action/1"]),
    ]);
    expect(manifests[0]?.content.version).toBe("9.9.9");
  });

  it("marks every secret of the asset as a password", () => {
    const asset = manifests[1]?.content.inputs as {
      properties: Record<string, { format?: string }>;
    };

    for (const field of ["secret_key", "session_token", "external_id", "http_proxy"]) {
      expect(asset.properties[field]?.format).toBe("password");
    }
    expect(asset.properties.access_key?.format).toBeUndefined();
  });

  it("requires only the region in the asset and only function_name in invoke_function", () => {
    const asset = manifests[1]?.content.inputs as { required: string[] };
    const invoke = manifests.find((m) => m.path === "actions/invoke_function.yaml")?.content
      .inputs as { required: string[] };

    expect(asset.required).toEqual(["region_name"]);
    expect(invoke.required).toEqual(["function_name"]);
  });

  it("emits patterns that compile in Unicode mode, as JSON Schema validators compile them", () => {
    const all = manifests.flatMap((m) => patterns(m.content));

    expect(all.length).toBeGreaterThan(3);
    for (const pattern of all) {
      expect(() => new RegExp(pattern, "u"), pattern).not.toThrow();
    }
  });

  const schemas = manifests.flatMap((manifest) =>
    (["inputs", "output"] as const)
      .filter((key) => manifest.content[key] !== undefined)
      .map((key) => [`${manifest.path} ${key}`, manifest.content[key]] as const),
  );

  it.each(schemas)("%s is a valid JSON Schema (draft 2020-12)", (_label, schema) => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });

    const valid = ajv.validateSchema(schema as object);

    expect(ajv.errors ?? [], JSON.stringify(ajv.errors)).toEqual([]);
    expect(valid).toBe(true);
    expect(() => ajv.compile(schema as object)).not.toThrow();
  });

  it.each([...ACTIONS.values()].map((action) => [action.name, action] as const))(
    "%s has no input named like an asset field (without ASSET_KEYS it would be taken as the asset's)",
    (_name, action) => {
      const inputs = manifests.find((m) => m.path === `actions/${action.name}.yaml`)?.content
        .inputs as { properties?: Record<string, unknown> };

      const shared = Object.keys(inputs.properties ?? {}).filter((key) =>
        ASSET_FIELD_NAMES.includes(key),
      );

      expect(shared).toEqual([]);
    },
  );
});

describe("the asset manifest's dependencies between fields", () => {
  const asset = manifests[1]?.content.inputs as Record<string, unknown>;
  const ajv = new Ajv2020({ strict: false, validateFormats: false });
  const validate = ajv.compile(asset);
  const key = "AKIAIOSFODNN7EXAMPLE";

  it.each([
    [{ region_name: "us-east-1", access_key: key }, false],
    [{ region_name: "us-east-1", secret_key: "s3cr3t" }, false],
    [{ region_name: "us-east-1", session_token: "t0k3n" }, false],
    [{ region_name: "us-east-1", external_id: "ext-1" }, false],
    [{ region_name: "us-east-1", access_key: key, secret_key: "s3cr3t" }, true],
    [{ region_name: "us-east-1" }, true],
  ])("%j is valid: %s, as the connector itself judges it", (document, valid) => {
    expect(validate(document)).toBe(valid);
    expect(assetSchema.safeParse(document).success).toBe(valid);
  });
});
