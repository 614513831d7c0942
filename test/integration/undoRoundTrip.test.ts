import { describe, expect, it } from "vitest";
import { DEMO_REGION } from "../../local-aws/defaultWorld.js";
import type {
  FunctionDefinition,
  FunctionUrlDefinition,
  ResourcePolicyStatement,
} from "../../local-aws/World.js";
import { addTrigger, DEMO, demoRuns, useLocalAws, webhookTemplate } from "./harness.js";

const ACCOUNT = DEMO.account;
const ORG_ID = "o-a1b2c3d4e5";

interface UndoStep {
  action: string;
  inputs: Record<string, unknown>;
}

/** What a function looks like in the world before a case changes it. */
interface Setup {
  statements?: (arn: string) => ResourcePolicyStatement[];
  url?: Partial<FunctionUrlDefinition> | null;
  tags?: Record<string, string>;
  reservedConcurrency?: number;
  mappingEnabled?: boolean;
}

interface RoundTrip {
  name: string;
  setup: Setup;
  /** The change, on the function (and mapping) the case made. */
  change: (fn: { name: string; uuid: string }) => {
    action: string;
    inputs: Record<string, unknown>;
  };
}

const allow = (arn: string, statement: Omit<ResourcePolicyStatement, "Effect" | "Resource">) => ({
  Effect: "Allow" as const,
  Resource: arn,
  ...statement,
});

/** A statement of each form AddPermission writes, each removed and then restored. */
const STATEMENTS: Record<string, (arn: string) => ResourcePolicyStatement> = {
  "anyone (principal *)": (arn) =>
    allow(arn, { Sid: "public", Principal: "*", Action: "lambda:InvokeFunction" }),
  "every account of one organization (principal * and aws:PrincipalOrgID)": (arn) =>
    allow(arn, {
      Sid: "org-wide",
      Principal: "*",
      Action: "lambda:InvokeFunction",
      Condition: { StringEquals: { "aws:PrincipalOrgID": ORG_ID } },
    }),
  "one S3 bucket of one account (SourceArn and SourceAccount)": (arn) =>
    allow(arn, {
      Sid: "s3-intake",
      Principal: { Service: "s3.amazonaws.com" },
      Action: "lambda:InvokeFunction",
      Condition: {
        StringEquals: { "AWS:SourceAccount": ACCOUNT },
        ArnLike: { "AWS:SourceArn": "arn:aws:s3:::incoming-artifacts" },
      },
    }),
  "the public URL only (lambda:FunctionUrlAuthType NONE)": (arn) =>
    allow(arn, {
      Sid: "FunctionURLAllowPublicAccess",
      Principal: "*",
      Action: "lambda:InvokeFunctionUrl",
      Condition: { StringEquals: { "lambda:FunctionUrlAuthType": "NONE" } },
    }),
  "invocations through the URL only (lambda:InvokedViaFunctionUrl)": (arn) =>
    allow(arn, {
      Sid: "FunctionURLInvokeAllowPublicAccess",
      Principal: "*",
      Action: "lambda:InvokeFunction",
      Condition: { Bool: { "lambda:InvokedViaFunctionUrl": "true" } },
    }),
  "one Alexa skill (lambda:EventSourceToken)": (arn) =>
    allow(arn, {
      Sid: "alexa-skill",
      Principal: { Service: "alexa-appkit.amazon.com" },
      Action: "lambda:InvokeFunction",
      Condition: {
        StringEquals: { "lambda:EventSourceToken": "amzn1.ask.skill.0f3b9a52-0000-4c1e" },
      },
    }),
  "another account's root (an account principal)": (arn) =>
    allow(arn, {
      Sid: "partner-account",
      Principal: { AWS: "arn:aws:iam::210987654321:root" },
      Action: "lambda:InvokeFunction",
    }),
};

/** A statement no case touches. */
const KEPT = (arn: string) =>
  allow(arn, {
    Sid: "kept",
    Principal: { Service: "sns.amazonaws.com" },
    Action: "lambda:InvokeFunction",
  });

const PUBLIC_URL: Partial<FunctionUrlDefinition> = {
  authType: "NONE",
  cors: { AllowOrigins: ["*"], AllowMethods: ["POST"], MaxAge: 300 },
  invokeMode: "BUFFERED",
};

const ROUND_TRIPS: RoundTrip[] = [
  ...Object.entries(STATEMENTS).map(([who, statement]) => ({
    name: `remove_permission of a statement for ${who}`,
    // Another statement stays, so the policy is changed, not deleted.
    setup: { statements: (arn: string) => [statement(arn), KEPT(arn)] },
    change: (fn: { name: string }) => ({
      action: "remove_permission",
      inputs: { function_name: fn.name, statement_id: statement("").Sid },
    }),
  })),
  {
    name: "add_permission of an org-scoped statement",
    setup: {},
    change: (fn) => ({
      action: "add_permission",
      inputs: {
        function_name: fn.name,
        statement_id: "org-wide",
        principal: "*",
        principal_org_id: ORG_ID,
      },
    }),
  },
  {
    name: "put_function_concurrency 0 where none was reserved",
    setup: {},
    change: (fn) => ({
      action: "put_function_concurrency",
      inputs: { function_name: fn.name, reserved_concurrent_executions: 0 },
    }),
  },
  {
    name: "put_function_concurrency 0 where 50 were reserved",
    setup: { reservedConcurrency: 50 },
    change: (fn) => ({
      action: "put_function_concurrency",
      inputs: { function_name: fn.name, reserved_concurrent_executions: 0 },
    }),
  },
  {
    name: "delete_function_concurrency of a throttle",
    setup: { reservedConcurrency: 0 },
    change: (fn) => ({ action: "delete_function_concurrency", inputs: { function_name: fn.name } }),
  },
  {
    name: "tag_function that overwrites one tag and adds another",
    setup: { tags: { owner: "web-team", exposure: "public" } },
    change: (fn) => ({
      action: "tag_function",
      inputs: { function_name: fn.name, tags: { exposure: "contained", quarantine: "true" } },
    }),
  },
  {
    name: "untag_function of two tags, one of them not set",
    setup: { tags: { owner: "web-team", quarantine: "true" } },
    change: (fn) => ({
      action: "untag_function",
      inputs: { function_name: fn.name, tag_keys: ["quarantine", "case"] },
    }),
  },
  {
    name: "update_function_url_config to AWS_IAM with other CORS",
    setup: { url: PUBLIC_URL },
    change: (fn) => ({
      action: "update_function_url_config",
      inputs: {
        function_name: fn.name,
        auth_type: "AWS_IAM",
        cors: { allow_origins: ["https://soc.example.com"] },
      },
    }),
  },
  {
    name: "delete_function_url_config of a public URL with CORS",
    setup: { url: PUBLIC_URL },
    change: (fn) => ({ action: "delete_function_url_config", inputs: { function_name: fn.name } }),
  },
  {
    name: "create_function_url_config where there was none",
    setup: { url: null },
    change: (fn) => ({
      action: "create_function_url_config",
      inputs: { function_name: fn.name, auth_type: "AWS_IAM" },
    }),
  },
  {
    name: "update_event_source_mapping that disables a trigger",
    setup: { mappingEnabled: true },
    change: (fn) => ({
      action: "update_event_source_mapping",
      inputs: { uuid: fn.uuid, enabled: false },
    }),
  },
];

describe("every change action's undo restores the state before, by round trip", () => {
  const aws = useLocalAws({ stateTransitionMs: 0 });
  const { inspect, respond } = demoRuns(aws);

  let made = 0;

  /** A fresh copy of the demo's public webhook, in the state `setup` describes. */
  function functionWith(setup: Setup): { name: string; uuid: string } {
    made += 1;
    const name = `round-trip-${made}`;
    const arn = `arn:aws:lambda:${DEMO_REGION}:${ACCOUNT}:function:${name}`;
    const template = webhookTemplate();
    const url: FunctionUrlDefinition = {
      url: `https://${`trip${made}`.padEnd(32, "x")}.lambda-url.${DEMO_REGION}.on.aws/`,
      authType: "NONE",
      invokeMode: "BUFFERED",
      creationTime: "2025-01-01T00:00:00.000Z",
      lastModifiedTime: "2025-01-01T00:00:00.000Z",
      ...setup.url,
    };
    const { reservedConcurrency: _none, ...unreserved } = template;
    const copy: FunctionDefinition = {
      ...unreserved,
      name,
      tags: setup.tags ?? {},
      policies: { "": setup.statements?.(arn) ?? [] },
      urls: setup.url === null ? {} : { "": url },
      ...(setup.reservedConcurrency === undefined
        ? {}
        : { reservedConcurrency: setup.reservedConcurrency }),
    };
    aws().world.functions.push(copy);
    return { name, uuid: addTrigger(aws().world, name, setup.mappingEnabled ?? true) };
  }

  /** Everything a change action can alter on the function, read through the entry. */
  async function stateOf(name: string) {
    const [policy, url, fn, mappings] = await Promise.all([
      inspect("get_policy", { function_name: name }),
      inspect("get_function_url_config", { function_name: name }),
      inspect("get_function", { function_name: name }),
      inspect("list_event_source_mappings", { function_name: name }),
    ]);
    const statements = ((policy.output?.statements ?? []) as { sid: string }[]).toSorted((a, b) =>
      a.sid.localeCompare(b.sid),
    );
    const { function_url: _address, last_modified: _modified, ...urlSettings } = url.output ?? {};
    return {
      statements,
      url: urlSettings,
      tags: fn.output?.tags,
      reserved_concurrent_executions: fn.output?.reserved_concurrent_executions,
      mappings: (
        (mappings.output?.event_source_mappings ?? []) as { uuid: string; state: string }[]
      ).map(({ uuid, state }) => ({ uuid, state })),
    };
  }

  it.each(ROUND_TRIPS)("$name", async ({ setup, change }) => {
    const fn = functionWith(setup);
    const before = await stateOf(fn.name);

    const { action, inputs } = change(fn);
    const changed = await respond(action, inputs);
    const during = await stateOf(fn.name);
    const undo = (changed.output?.undo ?? []) as UndoStep[];
    const undone = [];
    for (const step of undo) {
      undone.push(await respond(step.action, step.inputs));
    }
    const after = await stateOf(fn.name);

    expect(changed.error).toBeUndefined();
    expect(changed.output?.changed).toBe(true);
    expect(during).not.toEqual(before);
    expect(undo.length).toBeGreaterThan(0);
    expect(undone.map((run) => run.error)).toEqual(undo.map(() => undefined));
    expect(after).toEqual(before);
  });

  it("an org-scoped statement restored from remove_permission's undo is not public", async () => {
    const org =
      STATEMENTS["every account of one organization (principal * and aws:PrincipalOrgID)"];
    const fn = functionWith({ statements: (arn) => (org === undefined ? [] : [org(arn)]) });

    const removed = await respond("remove_permission", {
      function_name: fn.name,
      statement_id: "org-wide",
    });
    const [restore] = (removed.output?.undo ?? []) as UndoStep[];
    await respond(restore?.action ?? "", restore?.inputs ?? {});
    const exposure = await respond("assess_function_exposure", { function_name: fn.name });

    expect(restore?.inputs).toMatchObject({ principal: "*", principal_org_id: ORG_ID });
    const publicGrants = (
      (exposure.output?.findings ?? []) as { kind: string; severity: string }[]
    ).filter((finding) => finding.kind === "resource_policy" && finding.severity === "high");
    expect(exposure.error).toBeUndefined();
    expect(publicGrants).toEqual([]);
  });
});
