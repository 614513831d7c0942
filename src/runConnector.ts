import { ACTION_NAMES, loadAction } from "./actions/actionList.js";
import { ASSET_FIELD_NAMES, assetSchema, secretAssetKeys } from "./asset/schema.js";
import { Executor, type ExecutorOptions } from "./aws/executor.js";
import { regionMismatch } from "./aws/functionName.js";
import { ConnectorError, type ErrorLine, InvalidInputError } from "./errors.js";
import {
  environmentValuesIn,
  MAX_TEXT_LENGTH,
  maskSecrets,
  secretSourcesOf,
  secretsIn,
} from "./redaction.js";
import { suggest } from "./suggest.js";
import {
  ASSET_KEYS_VARIABLE,
  EXIT_CODES,
  formatErrorLine,
  OutputLine,
  splitDocument,
} from "./turbine/contract.js";
import { parseInputText } from "./turbine/parseInputText.js";
import { parseDocument } from "./validation.js";

/** What one run of the connector printed and how it ended. */
export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /**
   * On success, the line `stdout` holds, to be written without ever being one string
   * (./turbine/contract.js); `stdout` is made of it when read.
   */
  outputLine?: OutputLine;
}

/** What a run takes from its surroundings; the process's own by default. */
export interface RunOptions {
  /**
   * The environment ASSET_KEYS, the platform's file API variables and the proxy
   * passwords to mask are read from. The HTTP agents read the proxy and CA variables
   * (HTTPS_PROXY, NO_PROXY, AWS_CA_BUNDLE…) from the process environment themselves.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** Passed to the run's {@link Executor}: tests inject a clock. */
  executor?: ExecutorOptions;
}

/**
 * Runs one action as Turbine does: `actionName` from the command line, the JSON
 * document from standard input. Never throws; every outcome is a {@link RunResult}.
 * The run's connections are closed before it returns.
 *
 * The text and the parsed document are handed from step to step and kept by none once
 * the action started (see {@link startAction}): an awaiting function keeps every local
 * and argument until it returns, and a 6 MB payload would otherwise be held, as text
 * and as objects, while the answer is decoded and printed.
 *
 * @example
 * ```ts
 * const result = await runConnector("invoke_function", JSON.stringify({ asset, inputs }));
 * process.stdout.write(result.stdout);
 * ```
 */
export function runConnector(
  actionName: string | undefined,
  stdin: string,
  options: RunOptions = {},
): Promise<RunResult> {
  const env = options.env ?? process.env;
  if (actionName === "--help" || actionName === "-h") {
    return Promise.resolve({ exitCode: EXIT_CODES.success, stdout: USAGE, stderr: "" });
  }
  const run: RunState = { env, notes: [] };
  const started = loadAction(actionName ?? "").then(starter(actionName ?? "", stdin, options, run));
  return settle(started, run);
}

/** What a run keeps for its end: never the document itself. */
interface RunState {
  env: Readonly<Record<string, string | undefined>>;
  notes: string[];
  /**
   * Where the document's secrets are, taken as soon as it is parsed; a failure's line
   * finds and masks them (the secret fields come from the asset's JSON Schema, built
   * only then: it takes milliseconds).
   */
  secretSources?: unknown;
  executor?: Executor;
}

/** The step that starts the loaded action; the promise drops it, and the text, once it ran. */
function starter(
  actionName: string,
  stdin: string,
  options: RunOptions,
  run: RunState,
): (action: Awaited<ReturnType<typeof loadAction>>) => Promise<unknown> {
  return (action) => startAction(action, actionName, stdin, options, run);
}

/**
 * Parses and validates the document, then starts the action: the document, its split
 * and the validated inputs are this function's alone, gone when it returns the run.
 */
function startAction(
  action: Awaited<ReturnType<typeof loadAction>>,
  actionName: string,
  stdin: string,
  options: RunOptions,
  run: RunState,
): Promise<unknown> {
  if (action === undefined) {
    throw unknownAction(actionName);
  }
  const document = parseInputText(stdin);
  run.secretSources = secretSourcesOf(document, ASSET_FIELD_NAMES);
  const split = splitDocument(document, {
    declaredAssetKeys: ASSET_FIELD_NAMES,
    assetKeysVariable: run.env[ASSET_KEYS_VARIABLE],
  });
  if (typeof split === "string") {
    throw new InvalidInputError("usage", `Invalid input document: ${split}.`, {
      hint: 'Send one JSON object on standard input: the asset fields and inputs side by side (with ASSET_KEYS naming the asset\'s), or {"asset": {...}, "inputs": {...}}.',
    });
  }
  run.notes = split.notes;
  const asset = parseDocument(assetSchema, split.asset, "asset");
  const inputs = parseDocument(action.inputs, split.inputs, "inputs");
  refuseOtherRegion(inputs, asset.region_name);
  run.executor = new Executor(asset, { env: run.env, ...options.executor });
  return action.run(inputs, run.executor);
}

/** The run's result once its action settled, or its failure; its connections closed. */
async function settle(started: Promise<unknown>, run: RunState): Promise<RunResult> {
  try {
    const line = outputLine(await started);
    return {
      exitCode: EXIT_CODES.success,
      get stdout() {
        return line.text();
      },
      outputLine: line,
      stderr: lines(run.notes),
    };
  } catch (error) {
    const obtained = run.executor?.obtainedSecrets() ?? [];
    const failure = maskedFailure(error, () => [
      ...documentSecrets(run.secretSources, run.env),
      ...obtained,
    ]);
    return { ...failure, stderr: lines(run.notes) + failure.stderr };
  } finally {
    run.executor?.destroy();
  }
}

/** A function ARN of another region than the asset's: AWS would refuse it, so nothing is sent. */
function refuseOtherRegion(inputs: unknown, region: string): void {
  const name = (inputs as { function_name?: unknown }).function_name;
  const mismatch = typeof name === "string" ? regionMismatch(name, region) : undefined;
  if (mismatch !== undefined) {
    throw new InvalidInputError(
      "invalid_input",
      `Invalid action inputs: function_name: ${mismatch}`,
      {
        hint: "Nothing was sent to AWS. Give the function's name or an ARN of the asset's region, or run the action with an asset for the function's region.",
        field: "function_name",
      },
    );
  }
}

/** What `--help` prints: how the entry is called, and every action it offers. */
const USAGE = [
  "usage: node dist/main.js <action>   (one JSON document on standard input)",
  "",
  "The document holds the asset's fields and the action's inputs side by side, with the",
  'ASSET_KEYS variable naming the asset\'s, or {"asset": {...}, "inputs": {...}}.',
  "",
  "actions:",
  ...ACTION_NAMES.map((name) => `  ${name}`),
  "",
].join("\n");

/** No action, or one this connector does not offer: say which it does, and the likely one. */
function unknownAction(name: string): InvalidInputError {
  const meant = suggest(name, ACTION_NAMES);
  const offered = `this connector offers: ${ACTION_NAMES.join(", ")}.`;
  return new InvalidInputError(
    "usage",
    name === ""
      ? `No action named on the command line; ${offered}`
      : `Unknown action ${JSON.stringify(name)}${meant === undefined ? "" : ` (did you mean "${meant}"?)`}; ${offered}`,
    {
      hint: "Run the entry as `node dist/main.js <action>` with one of the actions above (`--help` lists them).",
    },
  );
}

/**
 * The result of a run that failed with `error`: one `::set-error` line on standard
 * error, with every secret of the raw `document` (environment variable values
 * included), the proxy environment and the credentials the run `obtained` (the assumed
 * role's session) masked.
 */
export function failureResult(
  error: unknown,
  document?: unknown,
  env: Readonly<Record<string, string | undefined>> = process.env,
  obtained: readonly string[] = [],
): RunResult {
  return maskedFailure(error, () => [...documentSecrets(document, env), ...obtained]);
}

/** The secrets of a raw document (its asset's, its environment values) and of the proxy environment. */
function documentSecrets(
  document: unknown,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  return [...secretsIn(document, secretAssetKeys(), env), ...environmentValuesIn(document)];
}

/** The failure line of `error`, with `secrets()` masked; nothing of it when they cannot be. */
function maskedFailure(error: unknown, secrets: () => readonly string[]): RunResult {
  const failure = asConnectorError(error);
  let line: ErrorLine;
  try {
    line = maskErrorLine(failure.toErrorLine(), secrets());
  } catch {
    // Masking itself failed: print nothing that might hold a secret, but keep the code.
    line = {
      code: failure.code,
      message:
        "The action failed, and its message could not be checked for secrets, so it is not shown.",
      hint: "Run the action again; if it persists, report it with the action's inputs (not the asset's secrets).",
    };
  }
  return { exitCode: failure.exitCode, stdout: "", stderr: formatErrorLine(line) };
}

/** The output line; an output that cannot be serialised is a defect, reported as having run. */
function outputLine(output: unknown): OutputLine {
  try {
    return new OutputLine(output);
  } catch (cause) {
    throw new ConnectorError(
      "internal_error",
      "The action ran, but its output could not be written as JSON.",
      {
        hint: "The AWS call completed (for invoke_function, the function ran): do not simply run it again. Report this with the action's inputs.",
        cause,
      },
    );
  }
}

function lines(notes: readonly string[]): string {
  return notes.map((note) => `${note}\n`).join("");
}

function asConnectorError(error: unknown): ConnectorError {
  if (error instanceof ConnectorError) {
    return error;
  }
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new ConnectorError("internal_error", `Unexpected failure: ${text}`, {
    hint: "This is a defect in the connector: report it with this message and the action's inputs (not the asset's secrets).",
    cause: error,
  });
}

/**
 * Masks the error line's free text, message and hint, where foreign messages end up.
 * The other values are the connector's own codes and field names or AWS's identifiers,
 * and the keys stay intact, so the line keeps its shape.
 */
function maskErrorLine(line: ErrorLine, secrets: readonly string[]): ErrorLine {
  return {
    ...line,
    message: maskSecrets(line.message, secrets, MAX_TEXT_LENGTH),
    hint: maskSecrets(line.hint, secrets, MAX_TEXT_LENGTH),
  };
}
