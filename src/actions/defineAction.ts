import type { z } from "zod";
import { type AwsCall, iamActionOf } from "../aws/call.js";
import {
  type Executor,
  type Page,
  type PageRequest,
  readAnswer,
  type SdkCommand,
} from "../aws/executor.js";
import { ConnectorError } from "../errors.js";
import { lostChange } from "./lostChange.js";

/** What every action has: its id, manifest texts, and input and output schemas. */
interface ActionBase<I extends z.core.$ZodType, O extends z.core.$ZodType> {
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
export interface ActionDefinition<
  I extends z.core.$ZodType = z.core.$ZodType,
  O extends z.core.$ZodType = z.core.$ZodType,
> extends ActionBase<I, O> {
  run(inputs: z.output<I>, executor: Executor): Promise<z.input<O>>;
}

/**
 * A read before the change: the state a contain action is about to alter, so that its
 * output can say what it was and a playbook can undo the change.
 */
export interface BeforeStep<Inputs, Response, State> extends AwsCall<Inputs> {
  command: (inputs: Inputs) => SdkCommand;
  read: (response: Response, inputs: Inputs) => State;
  /**
   * The state when AWS answers ResourceNotFoundException with `awsMessage` (no policy,
   * no URL yet); `undefined` lets the failure stand (the function itself is missing).
   */
  absent?: (inputs: Inputs, awsMessage: string) => State | undefined;
  /** The state as the action's `previous` output prints it: what a failed change's error carries. */
  previous: (state: State) => unknown;
  /** The action that shows the current state, named when a change may have taken effect. */
  checkWith: string;
  /**
   * Whether the change cannot be sent without this read (tags are set on the ARN it
   * reads); when it can, a denied read does not stop the change.
   */
  needed?: (inputs: Inputs) => boolean;
}

/**
 * What a call's own mapping returns: everything of the output but whether the state
 * before was read, which the declaration adds for every action with a read before.
 */
export type MappedOutput<O extends z.core.$ZodType> = Omit<
  z.input<O>,
  "previous_state_known" | "previous_state_error"
>;

/** An action that is one AWS call, optionally after a read of the state it changes. */
export interface OperationActionDefinition<
  I extends z.core.$ZodType,
  O extends z.core.$ZodType,
  Response,
  BeforeResponse = unknown,
  State = undefined,
> extends Omit<ActionBase<I, O>, "iamActions"> {
  before?: BeforeStep<z.output<I>, BeforeResponse, State>;
  call: AwsCall<z.output<I>> & {
    /** `before` is undefined when its read was denied and the change goes ahead without it. */
    command: (inputs: z.output<I>, before: State | undefined) => SdkCommand;
    output: (response: Response, inputs: z.output<I>, before: State | undefined) => MappedOutput<O>;
    /** The output when AWS answers ResourceNotFoundException with `awsMessage`; see {@link BeforeStep.absent}. */
    absent?: (inputs: z.output<I>, awsMessage: string) => MappedOutput<O> | undefined;
    /**
     * The output when the state before already is what the change asks for (a statement
     * that is gone, a URL that is deleted): the change is not sent, so a re-run is safe.
     */
    unchanged?: (inputs: z.output<I>, before: State) => MappedOutput<O> | undefined;
  };
}

/** An action that walks a paginated AWS call up to `max_items`. */
export interface PaginatedActionDefinition<
  I extends z.core.$ZodType<{ max_items: number; marker?: string | undefined }>,
  O extends z.core.$ZodType,
  Response,
  Item,
> extends Omit<ActionBase<I, O>, "iamActions"> {
  call: AwsCall<z.output<I>> & {
    command: (inputs: z.output<I>, page: PageRequest) => SdkCommand;
    items: (response: Response) => Item[];
    nextMarker: (response: Response) => string | undefined;
    /** Keep only matching items (filters AWS cannot apply itself); the executor gives the clock. */
    keep?: (item: Item, inputs: z.output<I>, executor: Executor) => boolean;
    output: (page: Page<Item>, inputs: z.output<I>, executor: Executor) => z.input<O>;
  };
}

/**
 * `call` naming, when it does not say which inputs identify what it is about, every
 * input of the action but those that steer paging.
 */
function withInputNames<Call extends { inputs?: readonly string[] | undefined }>(
  call: Call,
  schema: z.core.$ZodType,
): Call {
  const names = inputNamesOf(schema).filter((name) => !PAGINATION_INPUTS.has(name));
  return { ...call, inputs: call.inputs ?? names };
}

/** Inputs that steer paging or the connector's own checks, never the cause of a refusal. */
const PAGINATION_INPUTS = new Set(["max_items", "marker", "require_previous_state"]);

/** The input names of an object schema, for hints. */
function inputNamesOf(schema: z.core.$ZodType): readonly string[] {
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
 *     operation: "GetAccountSettings", // service lambda, IAM action lambda:GetAccountSettings
 *     retry: "idempotent",
 *     command: () => new GetAccountSettingsCommand({}),
 *     output: (response: GetAccountSettingsCommandOutput) => ({ … }),
 *   },
 * });
 * ```
 */
export function defineOperationAction<
  I extends z.core.$ZodType,
  O extends z.core.$ZodType,
  Response,
  BeforeResponse = unknown,
  State = undefined,
>(
  definition: OperationActionDefinition<I, O, Response, BeforeResponse, State>,
): ActionDefinition<I, O> & {
  call: OperationActionDefinition<I, O, Response, BeforeResponse, State>["call"];
} {
  const call = withInputNames(definition.call, definition.inputs);
  const before =
    definition.before === undefined
      ? undefined
      : withInputNames(definition.before, definition.inputs);
  return {
    ...definition,
    iamActions: [...(before === undefined ? [] : [iamActionOf(before)]), iamActionOf(call)],
    run: async (inputs, executor) => {
      if (before === undefined) {
        const result = await orAbsent(
          executor.send(call, call.command(inputs, undefined), inputs),
          (message) => call.absent?.(inputs, message),
        );
        return (
          result.absent
            ? result.value
            : readAnswer(
                () => call.output(result.value as Response, inputs, undefined),
                () => executor.context(call, inputs),
              )
        ) as z.input<O>;
      }
      return runChange(definition.name, call, before, inputs, executor);
    },
  };
}

/**
 * A change after its read before: not sent when the state asked for is in place, its
 * error carrying the state before when the change may have taken effect.
 */
async function runChange<
  I extends z.core.$ZodType,
  O extends z.core.$ZodType,
  Response,
  BeforeResponse,
  State,
>(
  name: string,
  call: OperationActionDefinition<I, O, Response, BeforeResponse, State>["call"],
  before: BeforeStep<z.output<I>, BeforeResponse, State>,
  inputs: z.output<I>,
  executor: Executor,
): Promise<z.input<O>> {
  const read = await readBefore(before, inputs, executor);
  const known = read.known ? read.state : undefined;
  const stateFields = stateFieldsOf(read);
  const unchanged = read.known ? call.unchanged?.(inputs, read.state) : undefined;
  if (unchanged !== undefined) {
    return { ...(unchanged as object), ...stateFields } as z.input<O>;
  }
  let result: Awaited<ReturnType<typeof orAbsent<unknown, MappedOutput<O>>>>;
  try {
    result = await orAbsent(executor.send(call, call.command(inputs, known), inputs), (message) =>
      call.absent?.(inputs, message),
    );
  } catch (error) {
    const target = typeof call.target === "function" ? call.target(inputs) : call.target;
    throw lostChange(
      error,
      {
        operation: call.operation,
        target: target ?? `the ${name} change`,
        checkWith: before.checkWith,
      },
      read.known ? before.previous(read.state) : null,
    );
  }
  const output = result.absent
    ? result.value
    : readAnswer(
        () => call.output(result.value as Response, inputs, known),
        () => executor.context(call, inputs),
      );
  return { ...(output as object), ...stateFields } as z.input<O>;
}

/** The state before a change, or why it could not be read. */
export type BeforeRead<State> =
  | { known: true; state: State }
  | { known: false; error: ConnectorError };

/**
 * Reads the state a change is about to alter. A denied read does not stop a change that
 * can be sent without it, unless the input `require_previous_state` asks for it: a
 * responder's role may be allowed to contain without being allowed to read.
 */
async function readBefore<Inputs, BeforeResponse, State>(
  before: BeforeStep<Inputs, BeforeResponse, State>,
  inputs: Inputs,
  executor: Executor,
): Promise<BeforeRead<State>> {
  return unlessReadDenied(
    async () => {
      const read = await orAbsent(
        executor.send(before, before.command(inputs), inputs),
        (message) => before.absent?.(inputs, message),
      );
      return read.absent
        ? read.value
        : readAnswer(
            () => before.read(read.value as BeforeResponse, inputs),
            () => executor.context(before, inputs),
          );
    },
    inputs,
    before.needed?.(inputs) === true,
  );
}

/**
 * The state `read` gives, or why it is unknown when the read is denied: a change that can
 * be sent without it goes ahead, unless the input `require_previous_state` asks to fail
 * closed or the change `needed` it. For actions that read the state before by more than
 * one declared call.
 *
 * @example
 * ```ts
 * const before = await unlessReadDenied(() => readVersions(inputs, executor), inputs);
 * if (!before.known) console.log(before.error.code); // "access_denied"
 * ```
 */
export async function unlessReadDenied<State>(
  read: () => Promise<State>,
  inputs: unknown,
  needed = false,
): Promise<BeforeRead<State>> {
  try {
    return { known: true, state: await read() };
  } catch (error) {
    const required = (inputs as { require_previous_state?: boolean }).require_previous_state;
    if (
      error instanceof ConnectorError &&
      error.code === "access_denied" &&
      required !== true &&
      !needed
    ) {
      return { known: false, error };
    }
    throw error;
  }
}

/** The outputs that say whether the state before was read, from what the read gave. */
export function stateFieldsOf(read: BeforeRead<unknown>): {
  previous_state_known: boolean;
  previous_state_error: { code: string; message: string } | null;
} {
  return {
    previous_state_known: read.known,
    previous_state_error: read.known
      ? null
      : { code: read.error.code, message: read.error.message },
  };
}

/**
 * The not-found codes that may mean "nothing configured": Lambda's generic one, and the
 * one it answers for a version or alias without provisioned concurrency.
 */
const NOTHING_CONFIGURED = new Set([
  "ResourceNotFoundException",
  "ProvisionedConcurrencyConfigNotFoundException",
]);

/**
 * Resolves to AWS's answer, or to the declared value for a ResourceNotFoundException
 * that means "nothing configured" rather than a failure.
 */
async function orAbsent<T, A>(
  call: Promise<T>,
  absent: (awsMessage: string) => A | undefined,
): Promise<{ absent: false; value: T } | { absent: true; value: A }> {
  try {
    return { absent: false, value: await call };
  } catch (error) {
    if (error instanceof ConnectorError && NOTHING_CONFIGURED.has(error.awsErrorCode ?? "")) {
      const message = error.cause instanceof Error ? error.cause.message : "";
      const value = absent(message);
      if (value !== undefined) {
        return { absent: true, value };
      }
    }
    throw error;
  }
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
  I extends z.core.$ZodType<{ max_items: number; marker?: string | undefined }>,
  O extends z.core.$ZodType,
  Response,
  Item,
>(
  definition: PaginatedActionDefinition<I, O, Response, Item>,
): ActionDefinition<I, O> & { call: PaginatedActionDefinition<I, O, Response, Item>["call"] } {
  const call = withInputNames(definition.call, definition.inputs);
  return {
    ...definition,
    iamActions: [iamActionOf(call)],
    run: async (inputs, executor) => {
      const { keep } = call;
      const page = await executor.paginate(
        call,
        {
          command: (request) => call.command(inputs, request),
          items: (response) => call.items(response as Response),
          nextMarker: (response) => call.nextMarker(response as Response),
          maxItems: inputs.max_items,
          marker: inputs.marker,
          keep: keep === undefined ? undefined : (item: Item) => keep(item, inputs, executor),
        },
        inputs,
      );
      return readAnswer(
        () => call.output(page, inputs, executor),
        () => executor.context(call, inputs),
      );
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
export function defineCustomAction<I extends z.core.$ZodType, O extends z.core.$ZodType>(
  definition: ActionDefinition<I, O> & { why: string },
): ActionDefinition<I, O> {
  return definition;
}
