import type { z } from "zod";
import type { Executor, OperationSpec, Page, PageRequest, SdkCommand } from "../aws/executor.js";
import type { RetryPolicy } from "../aws/retryPolicy.js";

/** What every action has: its id, manifest texts, and input and output schemas. */
interface ActionBase<I extends z.ZodType, O extends z.ZodType> {
  /** The action id: snake_case, the manifest's file name and the entry's argument. */
  name: string;
  title: string;
  description: string;
  /** The single source of truth for the manifest's `inputs` and for validation. */
  inputs: I;
  /** The single source of truth for the manifest's `output`. */
  output: O;
  /** The IAM actions the action needs: for the docs' least-privilege policies. */
  iamActions: readonly string[];
}

/**
 * One action Turbine can call, as the entry sees it: whatever it declares, it runs
 * with the validated inputs on the run's {@link Executor}.
 */
export interface ActionDefinition<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType>
  extends ActionBase<I, O> {
  run(inputs: z.output<I>, executor: Executor): Promise<z.input<O>>;
}

/** The declared parts of one AWS call, shared by single and paginated operations. */
interface OperationParts<Inputs> {
  service: OperationSpec["service"];
  /** The AWS API operation, e.g. `GetAccountSettings`. */
  operation: string;
  /** The IAM action it needs, e.g. `lambda:GetAccountSettings`. */
  iamAction: string;
  /** The resource that IAM action is checked on; `*` when not given. */
  resource?: (inputs: Inputs, executor: Executor) => string;
  /** What the call is about, for not-found messages, e.g. `function echo`. */
  target?: (inputs: Inputs) => string;
  /** Reads and idempotent writes retry everything transient; others only what provably did not run. */
  idempotent: boolean;
  /** Deadline in seconds; 30 when not given. */
  timeoutSeconds?: number;
  /** Per-operation hints by AWS error code. */
  hints?: Readonly<Record<string, string>>;
}

/** An action that is one AWS call: build the command, map the answer. */
export interface OperationActionDefinition<I extends z.ZodType, O extends z.ZodType, Response>
  extends Omit<ActionBase<I, O>, "iamActions"> {
  call: OperationParts<z.output<I>> & {
    command: (inputs: z.output<I>) => SdkCommand;
    output: (response: Response, inputs: z.output<I>) => z.input<O>;
  };
}

/** An action that walks a paginated AWS call up to `max_items`. */
export interface PaginatedActionDefinition<
  I extends z.ZodType<{ max_items: number; marker?: string | undefined }>,
  O extends z.ZodType,
  Response,
  Item,
> extends Omit<ActionBase<I, O>, "iamActions"> {
  call: OperationParts<z.output<I>> & {
    command: (inputs: z.output<I>, page: PageRequest) => SdkCommand;
    items: (response: Response) => Item[];
    nextMarker: (response: Response) => string | undefined;
    /** Keep only matching items (filters AWS cannot apply itself). */
    keep?: (item: Item, inputs: z.output<I>) => boolean;
    output: (page: Page<Item>, inputs: z.output<I>) => z.input<O>;
  };
}

/**
 * The spec the executor sends a declared call with.
 *
 * @example
 * ```ts
 * const spec = specOf(definition.call, inputs, executor);
 * ```
 */
export function specOf<Inputs>(
  call: OperationParts<Inputs>,
  inputs: Inputs,
  executor: Executor,
  inputNames: readonly string[],
): OperationSpec {
  const retry: RetryPolicy = call.idempotent ? "idempotent" : "at-most-once";
  return {
    service: call.service,
    operation: call.operation,
    iamAction: call.iamAction,
    resource: call.resource?.(inputs, executor) ?? "*",
    target: call.target?.(inputs),
    retry,
    inputs: inputNames,
    ...(call.timeoutSeconds === undefined ? {} : { timeoutMs: call.timeoutSeconds * 1000 }),
    ...(call.hints === undefined ? {} : { hints: call.hints }),
  };
}

/** The input names of an object schema, for hints. */
function inputNamesOf(schema: z.ZodType): readonly string[] {
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  return shape === undefined ? [] : Object.keys(shape);
}

/**
 * Declares an action that is one AWS call. The executor sends it with the retries,
 * deadline and error hints its declaration implies; the action only maps in and out.
 *
 * @example
 * ```ts
 * export const getAccountSettingsAction = defineOperationAction({
 *   name: "get_account_settings", title: "Get Account Settings", description: "…",
 *   inputs: z.strictObject({}), output: accountSettingsOutput,
 *   call: {
 *     service: "lambda", operation: "GetAccountSettings", iamAction: "lambda:GetAccountSettings",
 *     idempotent: true,
 *     command: () => new GetAccountSettingsCommand({}),
 *     output: (response: GetAccountSettingsCommandOutput) => ({ … }),
 *   },
 * });
 * ```
 */
export function defineOperationAction<I extends z.ZodType, O extends z.ZodType, Response>(
  definition: OperationActionDefinition<I, O, Response>,
): ActionDefinition<I, O> & { call: OperationActionDefinition<I, O, Response>["call"] } {
  const { call } = definition;
  const names = inputNamesOf(definition.inputs);
  return {
    ...definition,
    iamActions: [call.iamAction],
    run: async (inputs, executor) => {
      const response = await executor.send(
        specOf(call, inputs, executor, names),
        call.command(inputs),
      );
      return call.output(response as Response, inputs);
    },
  };
}

/**
 * Declares an action that walks a paginated AWS call: all pages up to the input
 * `max_items`, resuming from the input `marker`, reporting `truncated` and the marker
 * to resume from.
 *
 * @example
 * ```ts
 * export const listFunctionsAction = definePaginatedAction({
 *   name: "list_functions", …,
 *   call: { …, command: (inputs, page) => new ListFunctionsCommand({ Marker: page.marker, MaxItems: page.maxItems }),
 *     items: (r: ListFunctionsCommandOutput) => r.Functions ?? [], nextMarker: (r) => r.NextMarker,
 *     output: (page) => ({ functions: page.items.map(summary), truncated: page.truncated, next_marker: page.next_marker }) },
 * });
 * ```
 */
export function definePaginatedAction<
  I extends z.ZodType<{ max_items: number; marker?: string | undefined }>,
  O extends z.ZodType,
  Response,
  Item,
>(
  definition: PaginatedActionDefinition<I, O, Response, Item>,
): ActionDefinition<I, O> & { call: PaginatedActionDefinition<I, O, Response, Item>["call"] } {
  const { call } = definition;
  const names = inputNamesOf(definition.inputs);
  return {
    ...definition,
    iamActions: [call.iamAction],
    run: async (inputs, executor) => {
      const { keep } = call;
      const page = await executor.paginate(specOf(call, inputs, executor, names), {
        command: (request) => call.command(inputs, request),
        items: (response) => call.items(response as Response),
        nextMarker: (response) => call.nextMarker(response as Response),
        maxItems: inputs.max_items,
        marker: inputs.marker,
        keep: keep === undefined ? undefined : (item: Item) => keep(item, inputs),
      });
      return call.output(page, inputs);
    },
  };
}

/**
 * Declares an action that needs more than one declared call (invoke_function's
 * payload checks and decoding, test_connection's steps). It still sends every call
 * through the executor; `why` says why it is not a declaration.
 *
 * @example
 * ```ts
 * export const invokeFunctionAction = defineCustomAction({ …, why: "…", run: invokeFunction });
 * ```
 */
export function defineCustomAction<I extends z.ZodType, O extends z.ZodType>(
  definition: ActionDefinition<I, O> & { why: string },
): ActionDefinition<I, O> {
  return definition;
}
