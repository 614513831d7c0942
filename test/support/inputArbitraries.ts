/**
 * Action inputs for property tests: generated from the action's own schema (as its
 * manifest publishes it), made consistent where the schema's code-only rules demand it,
 * or made hostile.
 */
import fc from "fast-check";
import { z } from "zod";
import type { ActionDefinition } from "../../src/actions/defineAction.js";
import { HANDLER_ZIP_BASE64 } from "../fixtures.js";
import { type HostileSizes, hostileValue, unknownKey, unknownKeyChange } from "./hostileValues.js";
import { type JsonSchema, schemaArbitrary } from "./schemaArbitrary.js";

/** The JSON Schema of an action's inputs, as the manifest generator writes it. */
export function inputSchemaOf(action: ActionDefinition): JsonSchema {
  return z.toJSONSchema(action.inputs, { io: "input", unrepresentable: "any" }) as JsonSchema;
}

/** The inputs that give an action's code, by source: exactly one source may be given. */
const CODE_SOURCES: Record<string, readonly string[]> = {
  s3: ["s3_bucket", "s3_key", "s3_object_version"],
  base64: ["zip_file_base64"],
  file: ["zip_file"],
};

/**
 * The inputs made consistent with the rules zod checks in code, which the JSON Schema
 * cannot state: one code source, a confirmation equal to the name, options that only
 * apply to synchronous invocations, one qualifier, a dead-letter target set or removed,
 * one other version for an alias's routing, one of a function and a role to quarantine. Without this, actions with such rules
 * would almost never reach AWS in a property run.
 */
function consistent(actionName: string, generated: unknown): Record<string, unknown> {
  const inputs = { ...(generated as Record<string, unknown>) };
  if (actionName === "update_function_code") {
    // A generated hash never matches the package: the check would refuse every run.
    delete inputs.expected_sha256;
  }
  switch (actionName) {
    case "delete_function":
      inputs.confirm_function_name = inputs.function_name;
      break;
    case "update_function_code":
    case "create_function":
    case "publish_layer_version": {
      const chosen = "zip_file_base64" in inputs ? "base64" : "zip_file" in inputs ? "file" : "s3";
      for (const [source, keys] of Object.entries(CODE_SOURCES)) {
        if (source !== chosen) {
          for (const key of keys) {
            delete inputs[key];
          }
        }
      }
      if (chosen === "base64") {
        inputs.zip_file_base64 = HANDLER_ZIP_BASE64;
      }
      if (chosen === "s3") {
        inputs.s3_bucket ??= "incident-artifacts";
        inputs.s3_key ??= "code/package.zip";
      }
      break;
    }
    case "update_function_configuration":
      // A dead-letter target is set or removed, not both.
      if (inputs.dead_letter_target_arn !== undefined) {
        delete inputs.remove_dead_letter_target;
      }
      break;
    case "create_alias":
    case "update_alias": {
      // An alias routes to at most one version besides its own.
      const weights = inputs.routing_weights;
      if (weights !== null && typeof weights === "object") {
        inputs.routing_weights = Object.fromEntries(Object.entries(weights).slice(0, 1));
      }
      break;
    }
    case "quarantine_execution_role":
      // One of function_name and role_name; a named role is confirmed by its name.
      if (inputs.role_name !== undefined) {
        delete inputs.function_name;
        inputs.confirm_role_name = inputs.role_name;
      }
      break;
    case "invoke_function":
    case "invoke_function_stream":
      if (inputs.invocation_type !== undefined && inputs.invocation_type !== "RequestResponse") {
        delete inputs.include_logs;
        delete inputs.client_context;
      }
      if (String(inputs.function_name).includes(":")) {
        delete inputs.qualifier;
      }
      break;
  }
  return inputs;
}

/**
 * Inputs that follow the action's schema: some straight from it (they may break a
 * code-only rule), most made {@link consistent}.
 */
export function validInputs(action: ActionDefinition): fc.Arbitrary<Record<string, unknown>> {
  const generated = schemaArbitrary(inputSchemaOf(action));
  return fc.oneof(
    {
      weight: 1,
      arbitrary: generated.map((inputs) => ({ ...(inputs as Record<string, unknown>) })),
    },
    { weight: 4, arbitrary: generated.map((inputs) => consistent(action.name, inputs)) },
  );
}

/** One change that makes inputs hostile. */
type InputChange =
  | { kind: "replace"; field: string; value: unknown }
  | { kind: "delete"; field: string }
  | { kind: "unknown"; key: string; value: unknown };

/**
 * Valid inputs with one to three hostile changes: a declared input replaced by a hostile
 * value, removed, or an unknown key added.
 */
export function hostileInputs(
  action: ActionDefinition,
  sizes: HostileSizes,
): fc.Arbitrary<Record<string, unknown>> {
  const declared = Object.keys(inputSchemaOf(action).properties ?? {});
  const field = declared.length === 0 ? unknownKey : fc.constantFrom(...declared);
  const change: fc.Arbitrary<InputChange> = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant("replace" as const),
        field,
        value: hostileValue(sizes),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete" as const), field }) },
    unknownKeyChange(sizes),
  );
  return fc
    .tuple(validInputs(action), fc.array(change, { minLength: 1, maxLength: 3 }))
    .map(([inputs, changes]) => {
      const changed = { ...inputs };
      for (const step of changes) {
        if (step.kind === "delete") {
          delete changed[step.field];
        } else {
          const key = step.kind === "replace" ? step.field : step.key;
          Object.defineProperty(changed, key, {
            value: step.value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
      }
      return changed;
    });
}
