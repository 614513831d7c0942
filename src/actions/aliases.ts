import {
  type AliasConfiguration,
  GetAliasCommand,
  type GetAliasCommandOutput,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import { functionArnFor } from "../aws/functionName.js";
import { field, functionNameOutput } from "../outputFields.js";
import { changeOutputs } from "./change.js";
import type { BeforeStep } from "./defineAction.js";
import { functionNameInput } from "./fields.js";
import { unlessFunctionMissing } from "./reads.js";
import { type UndoStep, undoStep } from "./undo.js";

/** An alias as the alias actions print it. */
export const aliasSchema = z.object({
  name: field.text("The alias's name."),
  arn: field.text("The alias's ARN."),
  function_version: field.text("The version the alias points to."),
  description: field.text("The alias's description; empty when none."),
  routing_weights: z.record(z.string(), z.number()).meta({
    description:
      "Another version that receives a share of the alias's traffic, version → weight (0 to 1); {} when all of it goes to function_version.",
  }),
  revision_id: field.nullableText("The alias's revision: update_alias's revision_id guard."),
});

/** One alias. */
export type Alias = z.output<typeof aliasSchema>;

/** The alias as AWS returns it (GetAlias, CreateAlias, UpdateAlias), as the actions print it. */
export function describeAlias(alias: AliasConfiguration): Alias {
  return {
    name: alias.Name ?? "",
    arn: alias.AliasArn ?? "",
    function_version: alias.FunctionVersion ?? "",
    description: alias.Description ?? "",
    routing_weights: alias.RoutingConfig?.AdditionalVersionWeights ?? {},
    revision_id: alias.RevisionId ?? null,
  };
}

/** The inputs every alias action takes: the function and the alias's name. */
export const aliasInputs = {
  function_name: functionNameInput,
  alias_name: z
    .string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") })
    .regex(/^[a-zA-Z0-9_-]{1,128}$/, "must be 1 to 128 of letters, digits, - and _")
    // A name of digits alone would read as a version number.
    .refine((name) => !/^\d+$/.test(name), {
      message: "must not be digits only (that is a version)",
    })
    .meta({ title: "Alias Name", description: "The alias, e.g. live.", examples: ["live"] }),
};

/** The version an alias points to. */
export const functionVersionInput = z
  .string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") })
  .regex(/^(\$LATEST|\d+)$/, "must be $LATEST or a version number")
  .meta({
    title: "Function Version",
    description: "The version the alias points to (see list_versions_by_function).",
    examples: ["3"],
  });

/** The routing weights an alias may shift to one other version. */
export const routingWeightsInput = z
  .record(
    z.string().regex(/^\d+$/, "versions must be version numbers"),
    z
      .number({ error: "weights must be numbers from 0 to 1" })
      .min(0, "weights must be numbers from 0 to 1")
      .max(1, "weights must be numbers from 0 to 1"),
    { error: "must be an object of version number to weight" },
  )
  .refine((weights) => Object.keys(weights).length <= 1, {
    message: "must name at most one other version",
  })
  .optional()
  .meta({
    title: "Routing Weights",
    description:
      "A share of the alias's traffic (0 to 1) for one other version, e.g. 0.1 for version 4; an empty object sends all of it to function_version.",
    examples: [{ "4": 0.1 }],
  });

/** The alias's description input. */
export const aliasDescriptionInput = z
  .string({ error: "must be a string" })
  .max(256, "must be at most 256 characters")
  .optional()
  .meta({ title: "Description" });

/**
 * The inputs of create_alias and update_alias up to their own: the function, the alias,
 * and where it points (`functionVersion`: required to create, optional to update).
 */
export function aliasTargetInputs<Version extends z.ZodType>(functionVersion: Version) {
  return {
    ...aliasInputs,
    function_version: functionVersion,
    routing_weights: routingWeightsInput,
    description: aliasDescriptionInput,
  };
}

/** The state an alias action reads first: the alias, or null when there is none. */
export const previousAliasSchema = z
  .object({
    function_name: functionNameOutput,
    alias: aliasSchema
      .nullable()
      .meta({ description: "The alias before; null: it did not exist." }),
  })
  .nullable()
  .meta({
    description:
      "The state before the change, as get_alias prints it (alias null: there was none); null when it could not be read.",
  });

type AliasInputs = { function_name: string; alias_name: string };

/** The read of the alias before a change: GetAlias, null when the function has no such alias. */
export const readAlias: BeforeStep<AliasInputs, GetAliasCommandOutput, Alias | null> = {
  ...aliasCall("GetAlias"),
  retry: "idempotent",
  command: (inputs) =>
    new GetAliasCommand({ FunctionName: inputs.function_name, Name: inputs.alias_name }),
  read: (response) => describeAlias(response),
  absent: unlessFunctionMissing(() => null),
  previous: (alias) => alias,
  checkWith: "get_alias",
};

/**
 * What a call on one alias declares: IAM checks alias calls on the function's ARN, and a
 * not-found names the alias.
 */
export function aliasCall(operation: string) {
  return {
    operation,
    inputs: ["function_name", "alias_name"],
    resource: (inputs: AliasInputs, where: Parameters<typeof functionArnFor>[1]) =>
      functionArnFor(inputs.function_name, where),
    target: (inputs: AliasInputs) =>
      `alias ${inputs.alias_name} of function ${inputs.function_name}`,
  };
}

/** The `previous` output from the alias read first. */
export function previousAlias(
  inputs: AliasInputs,
  before: Alias | null | undefined,
): z.input<typeof previousAliasSchema> {
  return before === undefined ? null : { function_name: inputs.function_name, alias: before };
}

/**
 * The output of an alias change: the alias as the change left it (described by `after`),
 * and the change outputs with the alias read before.
 */
export function aliasChangeOutput(after: string) {
  return z.object({
    function_name: functionNameOutput,
    alias: aliasSchema.meta({ description: after }),
    ...changeOutputs(previousAliasSchema, "when previous is unknown"),
  });
}

/** The output of an alias change that is not sent: the alias read before already is as asked. */
export function aliasUnchanged(inputs: AliasInputs, before: Alias) {
  return {
    function_name: inputs.function_name,
    alias: before,
    changed: false,
    previous: previousAlias(inputs, before),
    undo: [],
  };
}

/** The members of CreateAlias and UpdateAlias that say where the alias points, as the inputs set them. */
export function aliasTargetMembers(inputs: {
  function_version?: string | undefined;
  routing_weights?: Record<string, number> | undefined;
  description?: string | undefined;
}): {
  FunctionVersion?: string;
  Description?: string;
  RoutingConfig?: { AdditionalVersionWeights: Record<string, number> };
} {
  return {
    ...(inputs.function_version === undefined ? {} : { FunctionVersion: inputs.function_version }),
    ...(inputs.description === undefined ? {} : { Description: inputs.description }),
    ...(inputs.routing_weights === undefined
      ? {}
      : { RoutingConfig: { AdditionalVersionWeights: inputs.routing_weights } }),
  };
}

/** The step that puts `alias` back: re-created when it is gone, updated when it moved. */
export function restoreAlias(
  inputs: AliasInputs,
  alias: Alias,
  action: "create_alias" | "update_alias",
): UndoStep {
  return undoStep(action, {
    function_name: inputs.function_name,
    alias_name: inputs.alias_name,
    function_version: alias.function_version,
    routing_weights: alias.routing_weights,
    description: alias.description,
  });
}

/** Whether `alias` already is what the inputs ask for (a re-run changes nothing). */
export function aliasMatches(
  alias: Alias,
  wanted: {
    function_version?: string | undefined;
    routing_weights?: Record<string, number> | undefined;
    description?: string | undefined;
  },
): boolean {
  return (
    (wanted.function_version === undefined || wanted.function_version === alias.function_version) &&
    (wanted.routing_weights === undefined ||
      JSON.stringify(wanted.routing_weights) === JSON.stringify(alias.routing_weights)) &&
    (wanted.description === undefined || wanted.description === alias.description)
  );
}
