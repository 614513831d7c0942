import { withMeta, z } from "../zodMini.js";
import { PARTITION_ALTERNATION, partitionOfRegion, REGION_RULE } from "./partitions.js";

/**
 * The asset: how the connector reaches AWS. Field names follow Swimlane's sibling
 * Amazon AWS S3 asset. This schema is the single source of truth: the asset manifest
 * in `assets/` is generated from it.
 *
 * Custom messages describe the rule, never the value, because several fields are
 * secrets and the messages are shown to users.
 */

/** Proxy URL schemes the proxy agents speak (http-, https- and socks-proxy-agent). */
export const PROXY_PROTOCOLS = [
  "http:",
  "https:",
  "socks:",
  "socks4:",
  "socks4a:",
  "socks5:",
  "socks5h:",
];

/** Session name used for AssumeRole when the asset names none; visible in CloudTrail. */
export const DEFAULT_ROLE_SESSION_NAME = "swimlane-turbine-aws-lambda";

/** AssumeRole session length used when the asset names none. */
export const DEFAULT_SESSION_DURATION_SECONDS = 3600;

const ACCESS_KEY_PATTERN = /^(AKIA|ASIA)[A-Z0-9]{12,124}$/;
const ROLE_ARN_PATTERN = new RegExp(
  `^arn:(${PARTITION_ALTERNATION}):iam::\\d{12}:role/(?:[\\x21-\\x2E\\x30-\\x7E]+/)*[\\w+=,.@-]{1,64}$`,
);
const SESSION_NAME_PATTERN = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID_PATTERN = /^[\w+=,.@:/-]{2,1224}$/;

function isUrlWithProtocol(value: string, protocols: readonly string[]): boolean {
  if (!URL.canParse(value)) {
    return false;
  }
  const url = new URL(value);
  return protocols.includes(url.protocol) && url.hostname !== "";
}

/** A proxy URL whose user name and password are well-formed percent-encoding. */
function isProxyUrl(value: string): boolean {
  if (!isUrlWithProtocol(value, PROXY_PROTOCOLS)) {
    return false;
  }
  const { username, password, protocol, hostname } = new URL(value);
  // The SOCKS agent looks the host up by name and cannot connect to a bracketed IPv6 literal.
  if (protocol.startsWith("socks") && hostname.startsWith("[")) {
    return false;
  }
  try {
    decodeURIComponent(username);
    decodeURIComponent(password);
    return true;
  } catch {
    return false;
  }
}

// Keys, tokens and their secrets are printable ASCII; the session token travels in an
// HTTP header, where anything else cannot be sent at all.
const secret = (title: string, description: string) =>
  withMeta(
    z
      .string()
      .check(
        z.minLength(1, "must not be empty"),
        z.regex(
          /^[\x21-\x7E]+$/,
          "must be printable ASCII without spaces or line breaks (check for a stray copy-paste character)",
        ),
      ),
    { title, description, format: "password" },
  );

const endpointUrl = (title: string, description: string, example: string) =>
  withMeta(
    z.optional(
      z.string().check(
        z.refine((v) => isUrlWithProtocol(v, ["http:", "https:"]), {
          message:
            "must be an http:// or https:// URL, e.g. https://vpce-0123.lambda.us-east-1.vpce.amazonaws.com",
        }),
      ),
    ),
    { title, description, format: "uri", examples: [example] },
  );

/**
 * An IAM role ARN: the asset's role_arn, and each role of a sweep over accounts. At most
 * 2048 characters, in any partition.
 */
export const roleArnInput = z
  .string()
  .check(
    z.maxLength(2048, "must be at most 2048 characters"),
    z.regex(
      ROLE_ARN_PATTERN,
      "must be an IAM role ARN such as arn:aws:iam::123456789012:role/TurbineLambdaInvoker",
    ),
  );

/** The asset's fields, as Turbine stores them. */
export const assetFields = {
  access_key: withMeta(
    z.optional(
      z
        .string()
        .check(
          z.regex(
            ACCESS_KEY_PATTERN,
            "must be an AWS access key ID: AKIA… (long-term) or ASIA… (temporary), 16 to 128 upper-case letters and digits",
          ),
        ),
    ),
    {
      title: "Access Key ID",
      description:
        "AWS access key ID of the IAM user. Leave empty, with the secret, to use the machine's standard AWS credential chain.",
      examples: ["AKIAIOSFODNN7EXAMPLE"],
    },
  ),
  secret_key: z.optional(
    secret("Secret Access Key", "AWS secret access key that belongs to the access key ID."),
  ),
  session_token: z.optional(
    secret("Session Token", "Session token, needed only with temporary (ASIA…) access keys."),
  ),
  region_name: withMeta(
    z
      .string({
        error: (issue) => (issue.input === undefined ? "is required" : "must be a string"),
      })
      .check(z.refine((v) => partitionOfRegion(v) !== undefined, { message: REGION_RULE })),
    {
      title: "Region",
      description: "AWS region of the Lambda functions, e.g. us-east-1.",
      examples: ["us-east-1", "eu-west-1", "us-gov-west-1", "cn-north-1"],
    },
  ),
  role_arn: withMeta(z.optional(roleArnInput), {
    title: "Role ARN",
    description:
      "IAM role to assume through STS AssumeRole; every AWS call then runs as that role. Leave empty to use the keys directly.",
    examples: ["arn:aws:iam::123456789012:role/TurbineLambdaInvoker"],
  }),
  external_id: withMeta(
    z.optional(
      z
        .string()
        .check(
          z.regex(
            EXTERNAL_ID_PATTERN,
            "must be 2 to 1224 characters of letters, digits and + = , . @ : / - _",
          ),
        ),
    ),
    {
      title: "External ID",
      description: "ExternalId that the role's trust policy requires (sts:ExternalId condition).",
      format: "password",
    },
  ),
  role_session_name: withMeta(
    z.optional(
      z
        .string()
        .check(
          z.regex(
            SESSION_NAME_PATTERN,
            "must be 2 to 64 characters of letters, digits and + = , . @ - _",
          ),
        ),
    ),
    {
      title: "Role Session Name",
      description: `Name of the assumed-role session, shown in the role owner's CloudTrail. Default: ${DEFAULT_ROLE_SESSION_NAME}.`,
      examples: [DEFAULT_ROLE_SESSION_NAME],
    },
  ),
  session_duration: withMeta(
    z._default(
      z
        .number({ error: "must be a whole number of seconds" })
        .check(
          z.int("must be a whole number of seconds"),
          z.gte(900, "must be between 900 and 43200 seconds (15 minutes to 12 hours)"),
          z.lte(43200, "must be between 900 and 43200 seconds (15 minutes to 12 hours)"),
        ),
      DEFAULT_SESSION_DURATION_SECONDS,
    ),
    {
      title: "Session Duration",
      description:
        "Lifetime in seconds of the assumed-role credentials, 900 to 43200, and at most the role's maximum session duration.",
    },
  ),
  http_proxy: withMeta(
    z.optional(
      z.string().check(
        z.refine(isProxyUrl, {
          message:
            "must be a proxy URL with scheme http, https, socks4, socks4a, socks5 or socks5h, e.g. http://proxy.example.com:3128; credentials go before the host as user:password@, with reserved characters percent-encoded (%40 for @); a SOCKS proxy must be named by host name or IPv4 address, not an IPv6 literal",
        }),
      ),
    ),
    {
      title: "HTTP Proxy",
      description:
        "Proxy for all AWS calls (STS and Lambda). Overrides HTTPS_PROXY/HTTP_PROXY/NO_PROXY from the environment. Credentials in the URL are sent as Basic proxy authentication.",
      format: "password",
      examples: ["http://proxy.example.com:3128"],
    },
  ),
  verify_ssl: withMeta(z._default(z.boolean({ error: "must be true or false" }), true), {
    title: "Verify SSL",
    description:
      "Verify AWS's TLS certificates. Prefer a CA bundle (AWS_CA_BUNDLE or NODE_EXTRA_CA_CERTS) to turning this off behind a TLS-inspecting proxy.",
  }),
  endpoint_url: endpointUrl(
    "Lambda Endpoint URL",
    "Custom Lambda endpoint: a VPC interface endpoint, a FIPS endpoint or a local emulator. Overrides AWS_ENDPOINT_URL* variables.",
    "https://lambda-fips.us-east-1.amazonaws.com",
  ),
  sts_endpoint_url: endpointUrl(
    "STS Endpoint URL",
    "Custom STS endpoint for AssumeRole: a VPC interface endpoint, a FIPS endpoint or a local emulator.",
    "https://sts-fips.us-east-1.amazonaws.com",
  ),
  iam_endpoint_url: endpointUrl(
    "IAM Endpoint URL",
    "Custom IAM endpoint, for the actions that change a function's execution role (quarantine_execution_role, release_execution_role): a FIPS endpoint or a local emulator.",
    "https://iam-fips.amazonaws.com",
  ),
};

/**
 * The fields that need others, as the asset manifest states them (`dependentRequired`)
 * and as {@link assetSchema} checks them: the keys come together, a session token needs
 * the keys, and the role's external ID and session name need the role.
 */
export const ASSET_DEPENDENT_REQUIRED = {
  access_key: ["secret_key"],
  secret_key: ["access_key"],
  session_token: ["access_key", "secret_key"],
  external_id: ["role_arn"],
  role_session_name: ["role_arn"],
} as const satisfies Partial<
  Record<keyof typeof assetFields, readonly (keyof typeof assetFields)[]>
>;

/**
 * The asset schema, with the rules that span fields: keys come in pairs, a session
 * token needs keys, temporary keys need a token, and the role must live in the
 * region's partition.
 */
export const assetSchema = z.strictObject(assetFields).check(z.superRefine(checkAsset));

/** The asset's rules across fields, for {@link assetSchema}. */
function checkAsset(
  asset: z.output<z.ZodMiniObject<typeof assetFields>>,
  ctx: z.core.$RefinementCtx<z.output<z.ZodMiniObject<typeof assetFields>>>,
): void {
  const hasKey = asset.access_key !== undefined;
  const hasSecret = asset.secret_key !== undefined;
  if (hasKey !== hasSecret) {
    ctx.addIssue({
      code: "custom",
      path: [hasKey ? "secret_key" : "access_key"],
      message:
        "access_key and secret_key go together: give both, or neither to use the machine's AWS credential chain",
    });
  }
  if (asset.session_token !== undefined && !hasKey) {
    ctx.addIssue({
      code: "custom",
      path: ["session_token"],
      message: "is only used with access_key and secret_key; give them too, or remove it",
    });
  }
  if (asset.access_key?.startsWith("ASIA") && asset.session_token === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["session_token"],
      message: "is required because access_key is a temporary key (ASIA…)",
    });
  }
  if (asset.role_arn === undefined) {
    for (const field of ["external_id", "role_session_name"] as const) {
      if (asset[field] !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [field],
          message: "is only used with role_arn; give the role to assume, or remove it",
        });
      }
    }
  }
  const regionPartition = partitionOfRegion(asset.region_name)?.id;
  const rolePartition = asset.role_arn?.split(":")[1];
  if (
    rolePartition !== undefined &&
    regionPartition !== undefined &&
    rolePartition !== regionPartition
  ) {
    ctx.addIssue({
      code: "custom",
      path: ["role_arn"],
      message: `is in partition ${rolePartition} but region_name is in partition ${regionPartition}; a role can only be assumed within its own partition`,
    });
  }
}

/** A validated asset. */
export type Asset = z.output<typeof assetSchema>;

/** The asset's field names, used to split Turbine's flat document when ASSET_KEYS is not set. */
export const ASSET_FIELD_NAMES: readonly string[] = Object.keys(assetFields);

let secretKeys: readonly string[] | undefined;

/**
 * The asset fields that hold secrets: those the schema marks `format: password`, as
 * Turbine does to hide them in its forms. Derived, so a new secret field is masked in
 * every error line without a second list to update.
 *
 * @example
 * ```ts
 * secretAssetKeys(); // ["secret_key", "session_token", "external_id", "http_proxy"]
 * ```
 */
export function secretAssetKeys(): readonly string[] {
  if (secretKeys === undefined) {
    const { properties = {} } = z.toJSONSchema(assetSchema, { io: "input" }) as {
      properties?: Record<string, { format?: string }>;
    };
    secretKeys = Object.entries(properties)
      .filter(([, property]) => property.format === "password")
      .map(([key]) => key);
  }
  return secretKeys;
}
