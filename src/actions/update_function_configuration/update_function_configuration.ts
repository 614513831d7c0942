import {
  type FunctionConfiguration,
  UpdateFunctionConfigurationCommand,
  type UpdateFunctionConfigurationCommandInput,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import type { AwsCall } from "../../aws/call.js";
import type { Executor } from "../../aws/executor.js";
import { field, functionNameOutput } from "../../outputFields.js";
import { changeOutputs, requirePreviousStateInput, type UndoStep, undoStep } from "../change.js";
import { createFunctionInputs } from "../create_function/create_function.js";
import { defineCustomAction, stateFieldsOf } from "../defineAction.js";
import { definedMembers, functionNameInput, onFunction, revisionIdInput } from "../fields.js";
import {
  applyUpdate,
  describeSettings,
  type FunctionSettings,
  functionSettingsSchema,
  readSettingsBefore,
  unchangedOutcome,
  updateOutcomeFields,
  updateWaitInput,
} from "../functionUpdate.js";

const created = createFunctionInputs.shape;
const variableName = z
  .string({ error: "must be a list of variable names" })
  .regex(/^[a-zA-Z]\w*$/, "variable names must start with a letter and hold letters, digits and _");

/** The settings update_function_configuration changes, each left as it is when not given. */
const settingInputs = {
  execution_role_arn: created.execution_role_arn.optional(),
  handler: created.handler.optional(),
  description: created.description,
  timeout: created.timeout,
  memory_size: created.memory_size,
  layers: created.layers.meta({
    title: "Layers",
    description:
      "The layer version ARNs the function uses, replacing the current ones; [] removes all.",
  }),
  dead_letter_target_arn: z
    .string({ error: "must be a string" })
    .regex(
      /^arn:[a-z-]+:(sqs|sns):[a-z0-9-]+:\d{12}:[\w-]+$/,
      "must be an SQS queue or SNS topic ARN",
    )
    .optional()
    .meta({
      title: "Dead-Letter Target ARN",
      description: "Where failed asynchronous events go (an SQS queue or SNS topic).",
    }),
  remove_dead_letter_target: z
    .literal(true, { error: "must be true, or left out" })
    .optional()
    .meta({
      title: "Remove Dead-Letter Target",
      description: "true removes the dead-letter target, cutting that path out of the account.",
    }),
};

/** The inputs of update_function_configuration. */
export const updateFunctionConfigurationInputs = z
  .strictObject({
    function_name: functionNameInput,
    environment_set: z
      .record(variableName, z.string({ error: "values must be strings" }), {
        error: "must be an object of variable names to string values",
      })
      .optional()
      .meta({
        title: "Environment: Set",
        description:
          "Variables to add or overwrite; the others are kept. Their values are never printed, not even in the state before.",
        examples: [{ LOG_LEVEL: "debug" }],
      }),
    environment_remove: z
      .array(variableName, { error: "must be a list of variable names" })
      .optional()
      .meta({
        title: "Environment: Remove",
        description: "Names of variables to remove (e.g. a leaked credential); names only.",
        examples: [["EXFIL_URL"]],
      }),
    ...settingInputs,
    revision_id: revisionIdInput("update it", "the function", "get_function"),
    wait_seconds: updateWaitInput,
    require_previous_state: requirePreviousStateInput,
  })
  .superRefine((inputs, ctx) => {
    const given = Object.keys(settingInputs).some(
      (name) => inputs[name as keyof typeof settingInputs] !== undefined,
    );
    if (!given && inputs.environment_set === undefined && inputs.environment_remove === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["environment_set"],
        message: `is required unless environment_remove or one of ${Object.keys(settingInputs).join(", ")} is given: there is nothing to change`,
      });
    }
    if (inputs.dead_letter_target_arn !== undefined && inputs.remove_dead_letter_target) {
      ctx.addIssue({
        code: "custom",
        path: ["remove_dead_letter_target"],
        message: "cannot go with dead_letter_target_arn: set the target or remove it",
      });
    }
    const both = (inputs.environment_remove ?? []).find(
      (name) => inputs.environment_set?.[name] !== undefined,
    );
    if (both !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["environment_remove"],
        message: `names ${both}, which environment_set also sets: set it or remove it`,
      });
    }
  });

type Inputs = z.output<typeof updateFunctionConfigurationInputs>;

/** The output of update_function_configuration. */
export const updateFunctionConfigurationOutput = z.object({
  function_name: functionNameOutput,
  function: functionSettingsSchema.meta({ description: "The function after the update." }),
  ...updateOutcomeFields,
  ...changeOutputs(
    functionSettingsSchema
      .nullable()
      .meta({ description: "The function before the update; null when it could not be read." }),
    "when previous is unknown",
  ),
  environment_not_restored: field.texts(
    "Variables this run overwrote or removed whose values undo cannot put back (values are never printed): restore them by hand if needed.",
  ),
});

const updateCall: AwsCall<Inputs> = {
  operation: "UpdateFunctionConfiguration",
  ...onFunction,
  retry: "idempotent",
  hints: {
    InvalidParameterValueException:
      "Check execution_role_arn (it must exist and trust lambda.amazonaws.com), layers, handler, timeout and memory_size.",
    PreconditionFailedException:
      "The function changed since revision_id was read: run get_function again and use its revision_id.",
    ResourceConflictException:
      "An update of the function is still in progress: wait until get_function shows last_update_status Successful, then run it again.",
    AccessDeniedException:
      "The caller needs lambda:UpdateFunctionConfiguration, iam:PassRole on a new execution_role_arn, and lambda:GetLayerVersion on new layers.",
  },
};

/** The environment after the change: the current variables, with the set ones set and the removed ones gone. */
function mergedEnvironment(
  inputs: Inputs,
  current: Record<string, string>,
): Record<string, string> {
  const merged = { ...current, ...inputs.environment_set };
  for (const name of inputs.environment_remove ?? []) {
    delete merged[name];
  }
  return merged;
}

const changesEnvironment = (inputs: Inputs) =>
  inputs.environment_set !== undefined || inputs.environment_remove !== undefined;

/** The dead-letter target the inputs ask for: an ARN, "" to remove it, undefined to keep it. */
function deadLetterOf(inputs: Inputs): string | undefined {
  return inputs.remove_dead_letter_target ? "" : inputs.dead_letter_target_arn;
}

/** The request: only what the inputs change; the whole environment when any of it changes. */
function requestOf(
  inputs: Inputs,
  before: FunctionConfiguration | undefined,
): UpdateFunctionConfigurationCommandInput {
  const variables = before?.Environment?.Variables ?? {};
  // The environment is replaced whole: guard the merge against a change made since the read.
  const revision =
    inputs.revision_id ?? (changesEnvironment(inputs) ? before?.RevisionId : undefined);
  return {
    FunctionName: inputs.function_name,
    ...definedMembers(inputs, {
      execution_role_arn: "Role",
      handler: "Handler",
      description: "Description",
      timeout: "Timeout",
      memory_size: "MemorySize",
      layers: "Layers",
    }),
    ...(deadLetterOf(inputs) === undefined
      ? {}
      : { DeadLetterConfig: { TargetArn: deadLetterOf(inputs) } }),
    ...(changesEnvironment(inputs)
      ? { Environment: { Variables: mergedEnvironment(inputs, variables) } }
      : {}),
    ...(revision === undefined ? {} : { RevisionId: revision }),
  };
}

/** Whether the function already is what the inputs ask for: the update would change nothing. */
function alreadyInPlace(inputs: Inputs, before: FunctionConfiguration): boolean {
  const now = describeSettings(before);
  const same = <T>(wanted: T | undefined, current: T) =>
    wanted === undefined || JSON.stringify(wanted) === JSON.stringify(current);
  const variables = before.Environment?.Variables ?? {};
  return (
    same(inputs.execution_role_arn, now.role) &&
    same(inputs.handler, now.handler) &&
    same(inputs.description, now.description ?? "") &&
    same(inputs.timeout, now.timeout) &&
    same(inputs.memory_size, now.memory_size) &&
    same(inputs.layers, now.layers) &&
    same(deadLetterOf(inputs), now.dead_letter_target_arn ?? "") &&
    JSON.stringify(mergedEnvironment(inputs, variables)) === JSON.stringify(variables)
  );
}

/**
 * The update_function_configuration step that puts back what this run changed, and the
 * variables whose values it cannot put back (they are never printed).
 */
function restoreOf(
  inputs: Inputs,
  before: FunctionConfiguration,
): { undo: UndoStep[]; notRestored: string[] } {
  const previous = describeSettings(before);
  const variables = before.Environment?.Variables ?? {};
  const added = Object.keys(inputs.environment_set ?? {}).filter((name) => !(name in variables));
  const notRestored = [
    ...Object.keys(inputs.environment_set ?? {}).filter(
      (name) => name in variables && variables[name] !== inputs.environment_set?.[name],
    ),
    ...(inputs.environment_remove ?? []).filter((name) => name in variables),
  ].sort();
  const restore = {
    execution_role_arn:
      inputs.execution_role_arn === undefined ? undefined : (previous.role ?? undefined),
    handler: inputs.handler === undefined ? undefined : (previous.handler ?? undefined),
    // An empty value is dropped on its way in (Turbine's unset field): an empty description cannot be put back.
    description:
      inputs.description === undefined || !previous.description ? undefined : previous.description,
    timeout: inputs.timeout === undefined ? undefined : (previous.timeout ?? undefined),
    memory_size: inputs.memory_size === undefined ? undefined : (previous.memory_size ?? undefined),
    layers: inputs.layers === undefined ? undefined : previous.layers,
    dead_letter_target_arn:
      deadLetterOf(inputs) === undefined
        ? undefined
        : (previous.dead_letter_target_arn ?? undefined),
    remove_dead_letter_target:
      deadLetterOf(inputs) !== undefined && previous.dead_letter_target_arn === null
        ? true
        : undefined,
    environment_remove: added.length === 0 ? undefined : added.sort(),
  };
  const anything = Object.values(restore).some((value) => value !== undefined);
  return {
    undo: anything
      ? [
          undoStep("update_function_configuration", {
            function_name: inputs.function_name,
            ...restore,
          }),
        ]
      : [],
    notRestored,
  };
}

/**
 * update_function_configuration: change what $LATEST runs with (environment, role,
 * timeout, memory, handler, description, layers, dead-letter target) and wait, bounded,
 * for the update to finish.
 */
export const updateFunctionConfigurationAction = defineCustomAction({
  name: "update_function_configuration",
  title: "Update Function Configuration",
  description:
    "Change a function's configuration: set or remove environment variables (values are never printed), execution role, timeout, memory, handler, description, layers or dead-letter target; then wait (bounded) until LastUpdateStatus is Successful, or report Failed with AWS's reason. The configuration before is returned, with the step that restores it.",
  inputs: updateFunctionConfigurationInputs,
  output: updateFunctionConfigurationOutput,
  iamActions: [
    "lambda:GetFunctionConfiguration",
    "lambda:UpdateFunctionConfiguration",
    // Lambda checks it on a new execution role, and GetLayerVersion on each new layer.
    "iam:PassRole",
    "lambda:GetLayerVersion",
  ],
  why: "The environment is replaced whole, so set and remove are merged into what was read first; afterwards LastUpdateStatus is polled until the update has finished.",
  run: updateFunctionConfiguration,
});

async function updateFunctionConfiguration(inputs: Inputs, executor: Executor) {
  // The environment is replaced whole: merging set and remove needs the current one.
  const before = await readSettingsBefore(inputs, executor, changesEnvironment(inputs));
  const known = before.known ? before.state : undefined;
  const previous: FunctionSettings | null = known === undefined ? null : describeSettings(known);
  if (known !== undefined && alreadyInPlace(inputs, known)) {
    return {
      function_name: inputs.function_name,
      function: describeSettings(known),
      ...unchangedOutcome(known),
      changed: false,
      previous,
      undo: [],
      environment_not_restored: [],
      ...stateFieldsOf(before),
    };
  }
  const { current, fields } = await applyUpdate(
    executor,
    updateCall,
    new UpdateFunctionConfigurationCommand(requestOf(inputs, known)),
    inputs,
    inputs.wait_seconds,
    "update_function_configuration",
    previous,
  );
  const restore = known === undefined ? { undo: [], notRestored: [] } : restoreOf(inputs, known);
  return {
    function_name: inputs.function_name,
    function: describeSettings(current),
    ...fields,
    changed: true,
    previous,
    undo: restore.undo,
    environment_not_restored: restore.notRestored,
    ...stateFieldsOf(before),
  };
}
