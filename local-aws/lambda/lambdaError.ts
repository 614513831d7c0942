import type { AuthFailure } from "../auth/authenticate.js";
import type { Reply } from "../http/Reply.js";

// Lambda's model spells the message member `Message` for these errors and `message` for
// the rest; the SDK fills the typed exception's field from the spelling its model uses.
const CAPITALIZED_MESSAGE = new Set([
  "CallbackTimeoutException",
  "CodeSigningConfigNotFoundException",
  "CodeVerificationFailedException",
  "DurableExecutionAlreadyStartedException",
  "EC2AccessDeniedException",
  "EC2ThrottledException",
  "EC2UnexpectedException",
  "EFSIOException",
  "EFSMountConnectivityException",
  "EFSMountFailureException",
  "EFSMountTimeoutException",
  "ENILimitReachedException",
  "ENINotReadyException",
  "InvalidCodeSignatureException",
  "InvalidRuntimeException",
  "InvalidSecurityGroupIDException",
  "InvalidSubnetIDException",
  "InvalidZipFileException",
  "KMSAccessDeniedException",
  "KMSDisabledException",
  "KMSInvalidStateException",
  "KMSNotFoundException",
  "NoPublishedVersionException",
  "PublicPolicyException",
  "RecursiveInvocationException",
  "ResourceInUseException",
  "ResourceNotFoundException",
  "ServiceException",
  "ServiceQuotaExceededException",
  "SnapStartException",
  "SnapStartNotReadyException",
  "SnapStartRegenerationFailureException",
  "SnapStartTimeoutException",
  "SubnetIPAddressLimitReachedException",
]);

/** Extra fields and headers of a modeled error, e.g. TooManyRequestsException's. */
export interface LambdaErrorExtras {
  fields?: Record<string, string>;
  headers?: Record<string, string>;
}

/**
 * A Lambda REST-JSON error: the code in `x-amzn-ErrorType`, and a JSON body with `Type`
 * (`User` for the caller's mistakes, `Service` for Lambda's) and the message.
 *
 * @example
 * ```ts
 * lambdaError(404, "ResourceNotFoundException", `Function not found: ${arn}`);
 * ```
 */
export function lambdaError(
  status: number,
  code: string,
  message: string,
  extras: LambdaErrorExtras = {},
): Reply {
  const body = {
    Type: status >= 500 ? "Service" : "User",
    ...extras.fields,
    [CAPITALIZED_MESSAGE.has(code) ? "Message" : "message"]: message,
  };
  return {
    kind: "respond",
    status,
    headers: {
      "content-type": "application/json",
      "x-amzn-ErrorType": code,
      ...extras.headers,
    },
    body: JSON.stringify(body),
  };
}

/** The code and status Lambda answers each authentication failure with. */
export const LAMBDA_AUTH_ERRORS: Record<AuthFailure, { status: number; code: string }> = {
  MissingToken: { status: 403, code: "MissingAuthenticationTokenException" },
  IncompleteSignature: { status: 403, code: "IncompleteSignatureException" },
  UnknownKey: { status: 403, code: "UnrecognizedClientException" },
  InvalidToken: { status: 403, code: "UnrecognizedClientException" },
  ExpiredToken: { status: 403, code: "ExpiredTokenException" },
  SignatureMismatch: { status: 403, code: "InvalidSignatureException" },
};
