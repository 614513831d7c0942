import { ACTIONS } from "./actions/registry.js";
import { ASSET_KEYS, assetSchema } from "./asset/schema.js";
import { AwsSession } from "./aws/awsSession.js";
import { ConnectorError, InvalidInputError } from "./errors.js";
import {
  EXIT_CODES,
  formatErrorLine,
  formatOutputLine,
  splitDocument,
} from "./turbine/contract.js";
import { parseDocument } from "./validation.js";

/** What one run of the connector printed and how it ended. */
export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Asset fields whose values must never be printed. */
const SECRET_FIELDS = ["secret_key", "session_token", "external_id"] as const;

/**
 * Runs one action as Turbine does: `actionName` from the command line, the JSON
 * document from standard input. Never throws; every outcome is a {@link RunResult}.
 *
 * @example
 * ```ts
 * const result = await runConnector("invoke_function", JSON.stringify({ asset, inputs }));
 * process.stdout.write(result.stdout);
 * ```
 */
export async function runConnector(
  actionName: string | undefined,
  stdin: string,
): Promise<RunResult> {
  let document: unknown;
  try {
    const action = ACTIONS.get(actionName ?? "");
    if (action === undefined) {
      throw new InvalidInputError(
        "usage",
        `Unknown action ${JSON.stringify(actionName ?? "")}; this connector offers: ${[...ACTIONS.keys()].join(", ")}.`,
        { hint: "Run the entry as `node dist/main.js <action>` with one of the actions above." },
      );
    }
    document = parseJson(stdin);
    const split = splitDocument(document, ASSET_KEYS);
    if (typeof split === "string") {
      throw new InvalidInputError("usage", `Invalid input document: ${split}.`, {
        hint: 'Send one JSON object on standard input: {"asset": {...}, "inputs": {...}}, or the asset fields and inputs side by side.',
      });
    }
    const asset = parseDocument(assetSchema, split.asset, "asset");
    const inputs = parseDocument(action.inputs, split.inputs, "inputs");
    const output = await action.run(inputs, AwsSession.for(asset));
    return { exitCode: EXIT_CODES.success, stdout: formatOutputLine(output), stderr: "" };
  } catch (error) {
    return failureResult(error, document);
  }
}

/**
 * The result of a run that failed with `error`: one JSON error line on standard error,
 * with every secret of the raw `document` masked.
 */
export function failureResult(error: unknown, document?: unknown): RunResult {
  const failure = asConnectorError(error);
  const line = maskSecrets(formatErrorLine(failure.toErrorLine()), secretsIn(document));
  return { exitCode: failure.exitCode, stdout: "", stderr: line };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new InvalidInputError("usage", "Standard input is not valid JSON.", {
      hint: 'Send one JSON object on standard input, e.g. {"asset": {...}, "inputs": {...}}.',
      cause,
    });
  }
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
 * Every secret value the raw document holds, whatever form it came in and whether or
 * not it validated. Messages are built to leave values out; this is the second guard.
 */
function secretsIn(document: unknown): string[] {
  if (typeof document !== "object" || document === null) {
    return [];
  }
  const record = document as Record<string, unknown>;
  const nested = record.asset;
  const sources = [
    record,
    ...(typeof nested === "object" && nested !== null ? [nested as Record<string, unknown>] : []),
  ];
  const secrets: string[] = [];
  for (const source of sources) {
    for (const field of SECRET_FIELDS) {
      const value = source[field];
      if (typeof value === "string") {
        secrets.push(value);
      }
    }
    const proxy = source.http_proxy;
    if (typeof proxy === "string" && URL.canParse(proxy)) {
      const password = new URL(proxy).password;
      secrets.push(password, decodeURIComponent(password));
    }
  }
  return secrets.filter((secret) => secret.length >= 4);
}

function maskSecrets(text: string, secrets: readonly string[]): string {
  let masked = text;
  for (const secret of secrets) {
    // The line is JSON, so a secret may appear escaped as well as raw.
    for (const form of [secret, JSON.stringify(secret).slice(1, -1)]) {
      masked = masked.replaceAll(form, "***");
    }
  }
  return masked;
}
