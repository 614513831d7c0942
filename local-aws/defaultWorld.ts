import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import type {
  EventSourceMappingDefinition,
  FunctionDefinition,
  LayerVersionDefinition,
  ManagedPolicyDefinition,
  PolicyStatement,
  RoleDefinition,
  World,
} from "./World.js";

/** The demo account. */
export const DEMO_ACCOUNT_ID = "123456789012";

/** The connector's IAM user and its key pair (the AWS documentation's example keys). */
export const DEMO_USER = {
  name: "turbine-connector",
  arn: `arn:aws:iam::${DEMO_ACCOUNT_ID}:user/turbine-connector`,
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
} as const;

/** A valid user whom the demo roles do not trust, and who may call nothing in Lambda. */
export const INTRUDER_USER = {
  name: "intruder",
  arn: `arn:aws:iam::${DEMO_ACCOUNT_ID}:user/intruder`,
  accessKeyId: "AKIAI44QH8DHBEXAMPLE",
  secretAccessKey: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
} as const;

/**
 * The role the connector assumes to inspect and invoke, and the ExternalId its trust
 * policy requires. It may read everything a responder inspects, and invoke the demo
 * functions, but change nothing.
 */
export const DEMO_ROLE = {
  name: "TurbineLambdaInvoker",
  arn: `arn:aws:iam::${DEMO_ACCOUNT_ID}:role/TurbineLambdaInvoker`,
  externalId: "turbine-demo-external-id",
  maxSessionDurationSeconds: 3600,
} as const;

/**
 * The role a responder's asset assumes: the invoker's rights, plus containing (reserved
 * concurrency, resource policy, function URL, event source mappings, tags, delete) and
 * provisioning (create functions, publish and delete layers). Same trust and ExternalId
 * as {@link DEMO_ROLE}.
 */
export const DEMO_RESPONDER_ROLE = {
  name: "TurbineLambdaResponder",
  arn: `arn:aws:iam::${DEMO_ACCOUNT_ID}:role/TurbineLambdaResponder`,
  externalId: DEMO_ROLE.externalId,
  maxSessionDurationSeconds: 3600,
} as const;

/** An execution role that trusts Lambda: what CreateFunction's `Role` may name. */
export const DEMO_EXECUTION_ROLE = {
  name: "TurbineFunctionExecution",
  arn: `arn:aws:iam::${DEMO_ACCOUNT_ID}:role/TurbineFunctionExecution`,
} as const;

/**
 * The managed policies the demo's execution roles have attached: two of AWS's own for
 * Lambda, AWS's AdministratorAccess (on `admin-only`'s role, for an assessment to find)
 * and the account's `webhook-forwarding`, whose default is its second version.
 */
export const DEMO_MANAGED_POLICIES = {
  basicExecution: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
  vpcAccess: "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
  administratorAccess: "arn:aws:iam::aws:policy/AdministratorAccess",
  webhookForwarding: `arn:aws:iam::${DEMO_ACCOUNT_ID}:policy/webhook-forwarding`,
} as const;

/**
 * The execution roles the demo functions run as, besides {@link DEMO_EXECUTION_ROLE}
 * (`public-webhook`'s): Lambda's console role `service-role/<name>-role` for each other
 * function, with AWSLambdaBasicExecutionRole attached.
 */
export const DEMO_FUNCTION_ROLES = Object.fromEntries(
  ["echo", "enrich-indicator", "throws", "sleeps", "chatty", "admin-only", "regional-only"].map(
    (name) => [name, `arn:aws:iam::${DEMO_ACCOUNT_ID}:role/service-role/${name}-role`],
  ),
) as Record<string, string>;

/** Region of every demo function except `regional-only`. */
export const DEMO_REGION = "us-east-1";

const WEBHOOK_ARN = `arn:aws:lambda:${DEMO_REGION}:${DEMO_ACCOUNT_ID}:function:public-webhook`;
const LAYER_ARN = `arn:aws:lambda:${DEMO_REGION}:${DEMO_ACCOUNT_ID}:layer:turbine-common`;

/**
 * The incident demo's exposed function, and how it is exposed: a statement that lets
 * anyone invoke it, an unauthenticated function URL (with the statement Lambda's console
 * adds for one), and an SQS trigger.
 */
export const PUBLIC_WEBHOOK = {
  name: "public-webhook",
  arn: WEBHOOK_ARN,
  /** Principal `*`, `lambda:InvokeFunction`, no condition. */
  publicStatementId: "public-invoke",
  /** Principal `*`, `lambda:InvokeFunctionUrl`, if the URL's AuthType is NONE. */
  urlStatementId: "FunctionURLAllowPublicAccess",
  url: "https://q7xk2m4vbn3lwp5ty6ch8rd9sf2jg4za.lambda-url.us-east-1.on.aws/",
  eventSourceMappingUuid: "6f1d2c3b-4a59-4e68-9d7c-8b0a1f2e3d4c",
  queueArn: `arn:aws:sqs:${DEMO_REGION}:${DEMO_ACCOUNT_ID}:webhook-events`,
} as const;

/** The triggers of `enrich-indicator`: an SQS queue and a Kinesis stream. */
export const DEMO_EVENT_SOURCES = {
  indicatorQueue: {
    uuid: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
    eventSourceArn: `arn:aws:sqs:${DEMO_REGION}:${DEMO_ACCOUNT_ID}:indicator-intake`,
  },
  indicatorStream: {
    uuid: "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b",
    eventSourceArn: `arn:aws:kinesis:${DEMO_REGION}:${DEMO_ACCOUNT_ID}:stream/indicator-stream`,
  },
} as const;

/** A shared layer with two versions; `public-webhook` uses the second. */
export const DEMO_LAYER = {
  name: "turbine-common",
  arn: LAYER_ARN,
  versionArns: [`${LAYER_ARN}:1`, `${LAYER_ARN}:2`],
} as const;

/**
 * The connector asset that reaches an endpoint at `url` as the demo user through the
 * demo role: what the CLI prints, and what the demo, benchmark and tests start from.
 */
export function demoAsset(url: string): Record<string, string> {
  return {
    access_key: DEMO_USER.accessKeyId,
    secret_key: DEMO_USER.secretAccessKey,
    region_name: DEMO_REGION,
    role_arn: DEMO_ROLE.arn,
    external_id: DEMO_ROLE.externalId,
    endpoint_url: url,
    sts_endpoint_url: url,
    iam_endpoint_url: url,
  };
}

/**
 * {@link demoAsset} through the responder role instead: the asset for the actions that
 * contain or provision.
 */
export function demoResponderAsset(url: string): Record<string, string> {
  return {
    ...demoAsset(url),
    role_arn: DEMO_RESPONDER_ROLE.arn,
    external_id: DEMO_RESPONDER_ROLE.externalId,
  };
}

/**
 * The functions that stream their response (InvokeWithResponseStream): chunks of JSON,
 * text, bytes or bulk filler; chunks far apart; a failure mid-stream; a stream that
 * never ends (its timeout is Lambda's longest, so only the caller's deadline stops it).
 */
export const STREAMING_FUNCTIONS = [
  "stream-chunks",
  "stream-slowly",
  "stream-fails",
  "stream-forever",
] as const;

/** Functions the demo identities may invoke: `admin-only` is deliberately missing, and
 * `public-webhook` needs no identity policy (its resource policy lets anyone in). */
const INVOKABLE = [
  "echo",
  "enrich-indicator",
  "throws",
  "sleeps",
  "chatty",
  "regional-only",
  ...STREAMING_FUNCTIONS,
  "tenant-echo",
];

/** IAM-style patterns for every function, version and alias of the account, in any region. */
const ANY_FUNCTION = `arn:aws:lambda:*:${DEMO_ACCOUNT_ID}:function:*`;
const ANY_MAPPING = `arn:aws:lambda:*:${DEMO_ACCOUNT_ID}:event-source-mapping:*`;
const ANY_LAYER = `arn:aws:lambda:*:${DEMO_ACCOUNT_ID}:layer:*`;

function allow(actions: string[], resources: string[]): PolicyStatement {
  return { effect: "Allow", actions, resources };
}

/**
 * The read-only rights of an inspection, on every function, mapping and layer. The
 * account-wide reads name no resource, so IAM evaluates them against `*`.
 */
const INSPECT: PolicyStatement[] = [
  allow(
    [
      "lambda:GetFunction",
      "lambda:GetFunctionConfiguration",
      "lambda:ListVersionsByFunction",
      "lambda:ListAliases",
      "lambda:GetPolicy",
      "lambda:GetFunctionUrlConfig",
      "lambda:GetFunctionConcurrency",
      "lambda:ListTags",
    ],
    [ANY_FUNCTION],
  ),
  allow(["lambda:GetEventSourceMapping"], [ANY_MAPPING]),
  allow(["lambda:GetLayerVersion"], [ANY_LAYER]),
  allow(
    [
      "lambda:GetAccountSettings",
      "lambda:ListFunctions",
      "lambda:ListEventSourceMappings",
      "lambda:ListLayers",
      "lambda:ListLayerVersions",
    ],
    ["*"],
  ),
];

/**
 * `function:echo` matches only the unqualified ARN, `function:echo:*` the qualified
 * ones. Any region, so that a wrong-region call reaches the 404 it deserves.
 */
const INVOKE: PolicyStatement[] = [
  allow(
    ["lambda:InvokeFunction"],
    INVOKABLE.flatMap((name) => [
      `arn:aws:lambda:*:${DEMO_ACCOUNT_ID}:function:${name}`,
      `arn:aws:lambda:*:${DEMO_ACCOUNT_ID}:function:${name}:*`,
    ]),
  ),
];

/** What a responder changes to contain a function. */
const CONTAIN: PolicyStatement[] = [
  allow(
    [
      "lambda:PutFunctionConcurrency",
      "lambda:DeleteFunctionConcurrency",
      "lambda:AddPermission",
      "lambda:RemovePermission",
      "lambda:CreateFunctionUrlConfig",
      "lambda:UpdateFunctionUrlConfig",
      "lambda:DeleteFunctionUrlConfig",
      "lambda:TagResource",
      "lambda:UntagResource",
      "lambda:DeleteFunction",
    ],
    [ANY_FUNCTION],
  ),
  allow(["lambda:UpdateEventSourceMapping"], [ANY_MAPPING]),
];

/**
 * What a responder needs to stand up a function or a layer, and to try what it stood up:
 * it may invoke any function but `admin-only`, which an explicit Deny keeps out of reach.
 */
const PROVISION: PolicyStatement[] = [
  allow(["lambda:InvokeFunction"], [ANY_FUNCTION]),
  {
    effect: "Deny",
    actions: ["lambda:InvokeFunction"],
    resources: [
      `arn:aws:lambda:*:${DEMO_ACCOUNT_ID}:function:admin-only`,
      `arn:aws:lambda:*:${DEMO_ACCOUNT_ID}:function:admin-only:*`,
    ],
  },
  allow(["lambda:CreateFunction"], [ANY_FUNCTION]),
  allow(["iam:PassRole"], [DEMO_EXECUTION_ROLE.arn]),
  allow(["lambda:PublishLayerVersion", "lambda:DeleteLayerVersion"], [ANY_LAYER]),
];

/**
 * What a responder changes to recover a function: freeze it as a version, roll its
 * aliases back, cut its asynchronous destinations, and redeploy its code and configuration.
 */
const RECOVER: PolicyStatement[] = [
  allow(
    [
      "lambda:PublishVersion",
      "lambda:GetAlias",
      "lambda:CreateAlias",
      "lambda:UpdateAlias",
      "lambda:DeleteAlias",
      "lambda:UpdateFunctionConfiguration",
      "lambda:UpdateFunctionCode",
      "lambda:GetFunctionEventInvokeConfig",
      "lambda:PutFunctionEventInvokeConfig",
      "lambda:DeleteFunctionEventInvokeConfig",
    ],
    [ANY_FUNCTION, `${ANY_FUNCTION}:*`],
  ),
];

/** IAM's reads of roles and their policies, for an assessment of a function's execution role. */
const IAM_INSPECT: PolicyStatement[] = [
  allow(
    ["iam:GetRole", "iam:ListAttachedRolePolicies", "iam:ListRolePolicies", "iam:GetRolePolicy"],
    [`arn:aws:iam::${DEMO_ACCOUNT_ID}:role/*`],
  ),
  allow(["iam:GetPolicy", "iam:GetPolicyVersion"], ["arn:aws:iam::*:policy/*"]),
];

/**
 * A responder may quarantine (and release) the execution roles, not the roles the
 * connector itself assumes.
 */
const IAM_QUARANTINE: PolicyStatement[] = [
  allow(
    ["iam:PutRolePolicy", "iam:DeleteRolePolicy"],
    [DEMO_EXECUTION_ROLE.arn, `arn:aws:iam::${DEMO_ACCOUNT_ID}:role/service-role/*`],
  ),
];

/** What a responder changes to recover: loop protection, provisioned concurrency, triggers. */
const RECOVER_PATHS: PolicyStatement[] = [
  allow(
    [
      "lambda:GetFunctionRecursionConfig",
      "lambda:PutFunctionRecursionConfig",
      "lambda:GetProvisionedConcurrencyConfig",
      "lambda:DeleteProvisionedConcurrencyConfig",
      "lambda:ListDurableExecutionsByFunction",
      "lambda:GetDurableExecution",
      "lambda:StopDurableExecution",
    ],
    [ANY_FUNCTION],
  ),
  allow(["lambda:CreateEventSourceMapping"], ["*"]),
  allow(["lambda:DeleteEventSourceMapping"], [ANY_MAPPING]),
];

const CREATED = "2025-01-01T00:00:00Z";

function document(statements: Record<string, unknown>[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

function managedPolicy(
  arn: string,
  description: string,
  versions: string[],
): ManagedPolicyDefinition {
  const path = arn.slice(arn.indexOf(":policy") + ":policy".length, arn.lastIndexOf("/") + 1);
  return {
    arn,
    name: arn.slice(arn.lastIndexOf("/") + 1),
    path,
    description,
    defaultVersionId: `v${versions.length}`,
    versions: versions.map((text, index) => ({
      versionId: `v${index + 1}`,
      document: text,
      createDate: CREATED,
    })),
    createDate: CREATED,
    updateDate: CREATED,
  };
}

const LOGS = {
  Effect: "Allow",
  Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
  Resource: "*",
};

/** The managed policies of {@link DEMO_MANAGED_POLICIES}, with their documents. */
function managedPolicies(): ManagedPolicyDefinition[] {
  return [
    managedPolicy(
      DEMO_MANAGED_POLICIES.basicExecution,
      "Provides write permissions to CloudWatch Logs.",
      [document([LOGS])],
    ),
    managedPolicy(
      DEMO_MANAGED_POLICIES.vpcAccess,
      "Provides minimum permissions for a Lambda function to execute while accessing a resource within a VPC",
      [
        document([
          {
            Effect: "Allow",
            Action: [
              ...LOGS.Action,
              "ec2:CreateNetworkInterface",
              "ec2:DescribeNetworkInterfaces",
              "ec2:DescribeSubnets",
              "ec2:DeleteNetworkInterface",
              "ec2:AssignPrivateIpAddresses",
              "ec2:UnassignPrivateIpAddresses",
            ],
            Resource: "*",
          },
        ]),
      ],
    ),
    managedPolicy(
      DEMO_MANAGED_POLICIES.administratorAccess,
      "Provides full access to AWS services and resources.",
      [document([{ Effect: "Allow", Action: "*", Resource: "*" }])],
    ),
    managedPolicy(
      DEMO_MANAGED_POLICIES.webhookForwarding,
      "Lets the webhook forward events to the partner",
      [
        document([
          { Effect: "Allow", Action: "sqs:SendMessage", Resource: PUBLIC_WEBHOOK.queueArn },
        ]),
        document([{ Effect: "Allow", Action: ["sqs:*", "s3:*"], Resource: "*" }]),
      ],
    ),
  ];
}

/** Lambda's console role for one demo function: trusts Lambda, may write its logs. */
function functionRole(name: string): RoleDefinition {
  return {
    name: `${name}-role`,
    path: "/service-role/",
    trustedPrincipals: [],
    trustedServices: ["lambda.amazonaws.com"],
    maxSessionDurationSeconds: 3600,
    policy: [],
    createDate: CREATED,
    attachedPolicyArns: [
      DEMO_MANAGED_POLICIES.basicExecution,
      ...(name === "admin-only" ? [DEMO_MANAGED_POLICIES.administratorAccess] : []),
    ],
    inlinePolicies:
      name === "enrich-indicator"
        ? {
            "read-indicator-sources": document([
              {
                Effect: "Allow",
                Action: [
                  "sqs:ReceiveMessage",
                  "sqs:DeleteMessage",
                  "sqs:GetQueueAttributes",
                  "kinesis:GetRecords",
                  "kinesis:GetShardIterator",
                  "kinesis:DescribeStream",
                ],
                Resource: [
                  DEMO_EVENT_SOURCES.indicatorQueue.eventSourceArn,
                  DEMO_EVENT_SOURCES.indicatorStream.eventSourceArn,
                ],
              },
            ]),
          }
        : {},
  };
}

function codeOf(file: string): string {
  return fileURLToPath(new URL(`./functions/${file}`, import.meta.url));
}

function demoFunction(
  name: string,
  overrides: Partial<FunctionDefinition> = {},
): FunctionDefinition {
  return {
    name,
    region: DEMO_REGION,
    code: codeOf(`${name}.js`),
    timeoutSeconds: 10,
    memorySizeMb: 128,
    ...overrides,
  };
}

function layerVersion(version: number, description: string): LayerVersionDefinition {
  const archive = Buffer.from(`turbine-common ${version}: shared helpers for the demo functions`);
  return {
    version,
    description,
    createdDate: `2025-01-0${version}T00:00:00.000+0000`,
    compatibleRuntimes: ["nodejs20.x", "nodejs22.x"],
    compatibleArchitectures: ["x86_64", "arm64"],
    codeSize: archive.length,
    codeSha256: createHash("sha256").update(archive).digest("base64"),
    content: archive,
  };
}

/** A mapping as the demo seeds it: enabled, last changed at the fixed demo date. */
function mapping(
  uuid: string,
  functionName: string,
  eventSourceArn: string,
  overrides: Partial<EventSourceMappingDefinition> = {},
): EventSourceMappingDefinition {
  return {
    uuid,
    region: DEMO_REGION,
    functionName,
    eventSourceArn,
    batchSize: 10,
    maximumBatchingWindowInSeconds: 0,
    enabled: true,
    lastModified: Date.UTC(2025, 0, 1),
    ...overrides,
  };
}

/**
 * The demo setup: one account; the connector's user and an untrusted user; two roles
 * the user may assume with the same ExternalId (an invoker that inspects and invokes, a
 * responder that also contains and provisions) and an execution role for new functions;
 * functions that cover the interesting outcomes (success, logs, function error, timeout,
 * access denied, wrong region, versions and aliases) and an exposed `public-webhook` to
 * assess and contain; event source mappings and a layer. Returns a fresh copy on every
 * call, so a test may change its own.
 *
 * @example
 * ```ts
 * const world = defaultWorld();
 * world.functions.push({ ...world.functions[0], name: "echo-copy" });
 * const aws = await startLocalAws({ world });
 * ```
 */
export function defaultWorld(): World {
  const reader = [...INSPECT, ...INVOKE, ...IAM_INSPECT];
  return {
    accountId: DEMO_ACCOUNT_ID,
    users: [
      {
        name: DEMO_USER.name,
        accessKeyId: DEMO_USER.accessKeyId,
        secretAccessKey: DEMO_USER.secretAccessKey,
        policy: structuredClone(reader),
      },
      {
        name: INTRUDER_USER.name,
        accessKeyId: INTRUDER_USER.accessKeyId,
        secretAccessKey: INTRUDER_USER.secretAccessKey,
        policy: [],
      },
    ],
    roles: [
      {
        name: DEMO_ROLE.name,
        trustedPrincipals: [DEMO_USER.arn],
        externalId: DEMO_ROLE.externalId,
        maxSessionDurationSeconds: DEMO_ROLE.maxSessionDurationSeconds,
        policy: structuredClone(reader),
      },
      {
        name: DEMO_RESPONDER_ROLE.name,
        trustedPrincipals: [DEMO_USER.arn],
        externalId: DEMO_RESPONDER_ROLE.externalId,
        maxSessionDurationSeconds: DEMO_RESPONDER_ROLE.maxSessionDurationSeconds,
        policy: structuredClone([
          ...reader,
          ...CONTAIN,
          ...PROVISION,
          ...RECOVER,
          ...RECOVER_PATHS,
          ...IAM_QUARANTINE,
        ]),
      },
      {
        name: DEMO_EXECUTION_ROLE.name,
        trustedPrincipals: [],
        trustedServices: ["lambda.amazonaws.com"],
        maxSessionDurationSeconds: 3600,
        policy: [],
        description: "Runs public-webhook",
        attachedPolicyArns: [
          DEMO_MANAGED_POLICIES.basicExecution,
          DEMO_MANAGED_POLICIES.vpcAccess,
          DEMO_MANAGED_POLICIES.webhookForwarding,
        ],
        inlinePolicies: {
          "partner-secrets": document([
            {
              Effect: "Allow",
              Action: "secretsmanager:GetSecretValue",
              Resource: `arn:aws:secretsmanager:${DEMO_REGION}:${DEMO_ACCOUNT_ID}:secret:partner/*`,
            },
          ]),
        },
      },
      ...Object.keys(DEMO_FUNCTION_ROLES).map(functionRole),
    ],
    managedPolicies: managedPolicies(),
    functions: [
      demoFunction("echo", {
        versions: ["1", "2"],
        aliases: { live: "2", previous: "1" },
        aliasRouting: { live: { "1": 0.1 } },
        provisionedConcurrency: { live: { requested: 5, lastModified: "2025-01-01T00:00:00Z" } },
      }),
      demoFunction("enrich-indicator", {
        environment: { FEED_NAME: "local-demo-feed" },
        tags: { team: "threat-intel" },
      }),
      demoFunction("throws"),
      demoFunction("sleeps", { timeoutSeconds: 3 }),
      demoFunction("chatty"),
      demoFunction("admin-only"),
      demoFunction("public-webhook", {
        description: "Receives partner webhooks",
        role: DEMO_EXECUTION_ROLE.arn,
        environment: { FORWARD_TO: "https://partner.example.com/hooks" },
        layers: [`${LAYER_ARN}:2`],
        vpc: {
          subnetIds: ["subnet-0a1b2c3d4e5f60718"],
          securityGroupIds: ["sg-0123456789abcdef0"],
          vpcId: "vpc-0fedcba9876543210",
        },
        tags: { owner: "web-team", exposure: "public" },
        recursiveLoop: "Allow",
        policies: {
          "": [
            {
              Sid: PUBLIC_WEBHOOK.publicStatementId,
              Effect: "Allow",
              Principal: "*",
              Action: "lambda:InvokeFunction",
              Resource: WEBHOOK_ARN,
            },
            {
              Sid: PUBLIC_WEBHOOK.urlStatementId,
              Effect: "Allow",
              Principal: "*",
              Action: "lambda:InvokeFunctionUrl",
              Resource: WEBHOOK_ARN,
              Condition: { StringEquals: { "lambda:FunctionUrlAuthType": "NONE" } },
            },
          ],
        },
        urls: {
          "": {
            url: PUBLIC_WEBHOOK.url,
            authType: "NONE",
            cors: { AllowOrigins: ["*"], AllowMethods: ["POST"] },
            invokeMode: "BUFFERED",
            creationTime: "2025-01-01T00:00:00.000Z",
            lastModifiedTime: "2025-01-01T00:00:00.000Z",
          },
        },
        // Its asynchronous results go to another account's queue: a data path out.
        eventInvokeConfigs: {
          "": {
            maximumRetryAttempts: 2,
            onSuccess: `arn:aws:sqs:${DEMO_REGION}:210987654321:partner-results`,
            lastModified: Date.UTC(2025, 0, 1),
          },
        },
      }),
      demoFunction("regional-only", { region: "us-west-2" }),
      ...STREAMING_FUNCTIONS.map((name) =>
        demoFunction(name, name === "stream-forever" ? { timeoutSeconds: 900 } : {}),
      ),
      demoFunction("tenant-echo", { tenancy: { isolationMode: "PER_TENANT" } }),
    ],
    eventSourceMappings: [
      mapping(
        DEMO_EVENT_SOURCES.indicatorQueue.uuid,
        "enrich-indicator",
        DEMO_EVENT_SOURCES.indicatorQueue.eventSourceArn,
      ),
      mapping(
        DEMO_EVENT_SOURCES.indicatorStream.uuid,
        "enrich-indicator",
        DEMO_EVENT_SOURCES.indicatorStream.eventSourceArn,
        { batchSize: 100, startingPosition: "LATEST" },
      ),
      mapping(PUBLIC_WEBHOOK.eventSourceMappingUuid, "public-webhook", PUBLIC_WEBHOOK.queueArn),
    ],
    durableExecutions: [
      {
        name: "enrich-batch",
        id: "3f1c9a52-7d4e-4b8a-9e21-5c6d7e8f9a0b",
        region: DEMO_REGION,
        functionName: "enrich-indicator",
        version: "$LATEST",
        status: "RUNNING",
        startedAt: Date.UTC(2025, 0, 2),
      },
      {
        name: "enrich-nightly",
        id: "8b2d4f61-0a3c-4e5f-8d7c-1b2a3c4d5e6f",
        region: DEMO_REGION,
        functionName: "enrich-indicator",
        version: "$LATEST",
        status: "SUCCEEDED",
        startedAt: Date.UTC(2025, 0, 1),
        endedAt: Date.UTC(2025, 0, 1, 0, 5),
      },
    ],
    layers: [
      {
        name: DEMO_LAYER.name,
        region: DEMO_REGION,
        latestVersion: 2,
        versions: [layerVersion(1, "First cut"), layerVersion(2, "Retries and logging")],
      },
    ],
  };
}
