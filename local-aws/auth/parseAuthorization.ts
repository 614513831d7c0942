/** The credential scope of a SigV4 signature: `<date>/<region>/<service>/aws4_request`. */
export interface CredentialScope {
  /** `YYYYMMDD`. */
  date: string;
  region: string;
  service: string;
}

/** The parts of a SigV4 `Authorization` header. */
export interface SignatureParts {
  accessKeyId: string;
  scope: CredentialScope;
  /** Lower-case header names, in the order the client listed them. */
  signedHeaders: string[];
  signature: string;
}

/** The header taken apart, or why it could not be. */
export type ParsedAuthorization =
  | { ok: true; parts: SignatureParts }
  | { ok: false; message: string };

const ALGORITHM = "AWS4-HMAC-SHA256";

/**
 * Takes a SigV4 `Authorization` header apart:
 * `AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=…`.
 */
export function parseAuthorization(header: string): ParsedAuthorization {
  const space = header.indexOf(" ");
  const algorithm = space < 0 ? header : header.slice(0, space);
  if (algorithm !== ALGORITHM) {
    return { ok: false, message: `Unsupported AWS 'algorithm': '${algorithm}'.` };
  }
  const fields = new Map<string, string>();
  for (const field of header.slice(space + 1).split(",")) {
    const equals = field.indexOf("=");
    if (equals > 0) {
      fields.set(field.slice(0, equals).trim(), field.slice(equals + 1).trim());
    }
  }
  const missing = ["Credential", "SignedHeaders", "Signature"].filter((name) => !fields.has(name));
  if (missing.length > 0) {
    return {
      ok: false,
      message: missing
        .map((name) => `Authorization header requires '${name}' parameter.`)
        .join(" "),
    };
  }
  const credential = (fields.get("Credential") ?? "").split("/");
  const [accessKeyId, date, region, service, terminator] = credential;
  if (
    credential.length !== 5 ||
    accessKeyId === undefined ||
    date === undefined ||
    region === undefined ||
    service === undefined ||
    terminator !== "aws4_request"
  ) {
    return {
      ok: false,
      message: `Credential should be scoped to a valid region, service and terminated by 'aws4_request'. Got '${fields.get("Credential")}'.`,
    };
  }
  return {
    ok: true,
    parts: {
      accessKeyId,
      scope: { date, region, service },
      signedHeaders: (fields.get("SignedHeaders") ?? "").split(";"),
      signature: fields.get("Signature") ?? "",
    },
  };
}
