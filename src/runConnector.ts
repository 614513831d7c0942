import { ACTIONS } from "./actions/registry.js";
import { ASSET_KEYS, assetSchema } from "./asset/schema.js";
import { AwsSession } from "./aws/awsSession.js";
import { ConnectorError, type ErrorLine, InvalidInputError } from "./errors.js";
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
  const line = maskErrorLine(failure.toErrorLine(), secretsIn(document));
  return { exitCode: failure.exitCode, stdout: "", stderr: formatErrorLine(line) };
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

/** Variables whose proxy URLs may carry a password into a foreign error message. */
const PROXY_VARIABLES = [
  "HTTPS_PROXY",
  "HTTP_PROXY",
  "ALL_PROXY",
  "https_proxy",
  "http_proxy",
  "all_proxy",
];

/**
 * Every secret value the raw document and the proxy environment hold, whatever form
 * they came in and whether or not they validated. Messages are built to leave values
 * out; this is the second guard.
 */
function secretsIn(document: unknown): string[] {
  const secrets = PROXY_VARIABLES.flatMap((name) => proxyPasswords(process.env[name]));
  if (typeof document !== "object" || document === null) {
    return secrets;
  }
  const record = document as Record<string, unknown>;
  const nested = record.asset;
  const sources = [
    record,
    ...(typeof nested === "object" && nested !== null ? [nested as Record<string, unknown>] : []),
  ];
  for (const source of sources) {
    for (const field of SECRET_FIELDS) {
      const value = source[field];
      if (typeof value === "string") {
        secrets.push(value);
      }
    }
    secrets.push(...proxyPasswords(source.http_proxy));
  }
  return secrets.filter((secret) => secret.length >= 4);
}

/** The password of a proxy URL, as written and percent-decoded when that is possible. */
function proxyPasswords(url: unknown): string[] {
  if (typeof url !== "string" || !URL.canParse(url)) {
    return [];
  }
  const { password } = new URL(url);
  try {
    return [password, decodeURIComponent(password)];
  } catch {
    return [password];
  }
}

/** `scheme://user:password@` in any text: the password is masked whoever wrote it. */
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi;

/**
 * Masks the error line's free text, message and hint, where foreign messages end up:
 * each known secret, and the password of any URL quoted there. The other values are
 * the connector's own codes and field names or AWS's identifiers, and the keys stay
 * intact, so the line keeps its shape.
 */
function maskErrorLine(line: ErrorLine, secrets: readonly string[]): ErrorLine {
  const mask = (text: string) => {
    let masked = text.replace(URL_PASSWORD, "$1***@");
    for (const secret of secrets) {
      masked = masked.replaceAll(secret, "***");
    }
    return masked;
  };
  return {
    error: { ...line.error, message: mask(line.error.message), hint: mask(line.error.hint) },
  };
}
