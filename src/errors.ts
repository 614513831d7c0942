/**
 * The connector's one error hierarchy. Every failure that leaves an action is a
 * {@link ConnectorError}; foreign errors (AWS SDK, Node networking, zod) are wrapped
 * exactly once, at the boundary where they enter, and keep the original as `cause`.
 *
 * None of these messages may carry a secret value: they are printed to standard error
 * for Turbine to show to the user.
 */

/** Machine-readable kinds of failure, printed as `error.code`. */
export type ErrorCode =
  | "invalid_asset"
  | "invalid_input"
  | "usage"
  | "payload_too_large"
  | "authentication_failed"
  | "access_denied"
  | "assume_role_failed"
  | "credentials_expired"
  | "not_found"
  | "throttled"
  | "function_error"
  | "function_misconfigured"
  | "request_timeout"
  | "network_error"
  | "proxy_error"
  | "endpoint_error"
  | "aws_error"
  | "internal_error";

/** What a {@link ConnectorError} carries besides its message. */
export interface ConnectorErrorDetails {
  /** What the user should check; always a full sentence. */
  hint: string;
  /** The asset field or action input the failure is about, as a dotted path. */
  field?: string;
  /** The AWS error code (e.g. `AccessDeniedException`), when AWS answered. */
  awsErrorCode?: string;
  /** The AWS request ID, for support cases and CloudTrail searches. */
  requestId?: string;
  /** The HTTP status of the answer that failed the call, when there was one. */
  httpStatus?: number;
  /**
   * A change whose answer was lost (a reset connection, a timeout, a 5xx): it may have
   * taken effect although the call failed.
   */
  mayHaveChanged?: boolean;
  /** What the change's read found before it, in the action's `previous` shape. */
  previous?: unknown;
  /** The underlying error. Never printed, kept for debugging and tests. */
  cause?: unknown;
}

/**
 * The JSON object printed after `::set-error` when an action fails. Turbine turns it
 * into the action's Error output, which playbooks branch on: the keys are a public
 * interface, flat and snake_case, and optional keys appear only when known.
 */
export interface ErrorLine {
  code: ErrorCode;
  message: string;
  hint: string;
  field?: string;
  aws_error_code?: string;
  request_id?: string;
  http_status?: number;
  /** Present (true) when a change may have taken effect although its call failed. */
  may_have_changed?: true;
  /** The state before the change, when {@link may_have_changed}: to check or undo it. */
  previous?: unknown;
}

/**
 * Base class of every error the connector reports.
 *
 * @example
 * ```ts
 * throw new ConnectorError("network_error", "Could not reach AWS Lambda.", {
 *   hint: "Check that the machine can reach lambda.us-east-1.amazonaws.com.",
 *   cause: err,
 * });
 * ```
 */
export class ConnectorError extends Error {
  override readonly name: string = "ConnectorError";
  readonly code: ErrorCode;
  readonly hint: string;
  readonly field: string | undefined;
  readonly awsErrorCode: string | undefined;
  readonly requestId: string | undefined;
  readonly httpStatus: number | undefined;
  readonly mayHaveChanged: boolean;
  readonly previous: unknown;

  constructor(code: ErrorCode, message: string, details: ConnectorErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.hint = details.hint;
    this.field = details.field;
    this.awsErrorCode = details.awsErrorCode;
    this.requestId = details.requestId;
    this.httpStatus = details.httpStatus;
    this.mayHaveChanged = details.mayHaveChanged ?? false;
    this.previous = details.previous;
  }

  /** The process exit code Turbine sees: 2 for bad asset or inputs, 1 otherwise. */
  get exitCode(): 1 | 2 {
    return 1;
  }

  /** The error line's payload; optional keys appear only when known. */
  toErrorLine(): ErrorLine {
    return {
      code: this.code,
      message: this.message,
      hint: this.hint,
      ...(this.field === undefined ? {} : { field: this.field }),
      ...(this.awsErrorCode === undefined ? {} : { aws_error_code: this.awsErrorCode }),
      ...(this.requestId === undefined ? {} : { request_id: this.requestId }),
      ...(this.httpStatus === undefined ? {} : { http_status: this.httpStatus }),
      ...(this.mayHaveChanged ? { may_have_changed: true as const } : {}),
      ...(this.mayHaveChanged && this.previous !== undefined ? { previous: this.previous } : {}),
    };
  }
}

/**
 * The asset, the action inputs or the command line are not acceptable. Raised before
 * any AWS call is made, so nothing was sent and nothing ran.
 *
 * @example
 * ```ts
 * throw new InvalidInputError("invalid_input", "payload: is 7340032 bytes, over the 6 MB limit", {
 *   field: "payload",
 *   hint: "Send a smaller payload, or pass a reference (an S3 key) instead of the data.",
 * });
 * ```
 */
export class InvalidInputError extends ConnectorError {
  override readonly name = "InvalidInputError";

  constructor(
    code: "invalid_asset" | "invalid_input" | "usage" | "payload_too_large",
    message: string,
    details: ConnectorErrorDetails,
  ) {
    super(code, message, details);
  }

  override get exitCode(): 1 | 2 {
    return 2;
  }
}

/**
 * The Lambda function ran and reported an error (`X-Amz-Function-Error`), and the
 * action was asked to fail on it. The function's own error type and message are kept.
 */
export class FunctionError extends ConnectorError {
  override readonly name = "FunctionError";
  readonly errorType: string;

  constructor(errorType: string, message: string, details: ConnectorErrorDetails) {
    super("function_error", message, details);
    this.errorType = errorType;
  }
}
