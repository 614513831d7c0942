import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { afterEach, describe, expect, it } from "vitest";
import { invokeFunctionAction } from "../../src/actions/invoke_function/invoke_function.js";
import { Executor } from "../../src/aws/executor.js";
import { validAsset } from "../fixtures.js";
import { DEMO, expectAwsFailure, localAsset, runAction, useLocalAws } from "./harness.js";

/**
 * Under the SDK's own 5-minute expiry window, so that every call asks the connector's
 * provider, whose injected clock then alone decides when to refresh: at half the lifetime.
 */
const LIFETIME_SECONDS = 240;

/** A clock that stands still until a test moves it. */
function manualClock(): { now: () => number; advance(ms: number): void } {
  let time = Date.now();
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
  };
}

describe("assumed-role credentials over real HTTP, one executor over many calls", () => {
  const aws = useLocalAws({ credentialLifetimeSeconds: LIFETIME_SECONDS });
  const executors: Executor[] = [];

  afterEach(() => {
    for (const executor of executors.splice(0)) {
      executor.destroy();
    }
  });

  const executorWith = (now: () => number) => {
    const executor = new Executor(validAsset(localAsset(aws().url)), { now });
    executors.push(executor);
    return executor;
  };

  const invokeMany = (executor: Executor, count: number) =>
    Promise.all(
      Array.from({ length: count }, () =>
        invokeFunctionAction.run(
          invokeFunctionAction.inputs.parse({ function_name: "echo", invocation_type: "DryRun" }),
          executor,
        ),
      ),
    );

  it("assumes the role once per credential lifetime, and again past the refresh point", async () => {
    // Prepare
    const clock = manualClock();
    const executor = executorWith(clock.now);
    const assumed = aws().assumeRoleCount();

    // Act
    const first = await invokeMany(executor, 10);
    clock.advance(100_000);
    const beforeRefresh = await invokeMany(executor, 10);
    const afterFirst = { endpoint: aws().assumeRoleCount(), executor: executor.assumeRoleCalls };
    clock.advance(50_000);
    const afterRefresh = await invokeMany(executor, 10);

    // Assess
    expect([...first, ...beforeRefresh, ...afterRefresh].map((o) => o.status_code)).toEqual(
      Array(30).fill(204),
    );
    expect(afterFirst).toEqual({ endpoint: assumed + 1, executor: 1 });
    expect(aws().assumeRoleCount()).toBe(assumed + 2);
    expect(executor.assumeRoleCalls).toBe(2);
  });

  it("assumes the role once per run, for STS and Lambda calls alike", async () => {
    const assumed = aws().assumeRoleCount();

    const run = await runAction("test_connection", {
      asset: localAsset(aws().url),
      inputs: { function_name: "echo" },
    });

    expect(run.exitCode).toBe(0);
    expect(aws().assumeRoleCount()).toBe(assumed + 1);
  });
});

describe("temporary keys that expire at the endpoint", () => {
  // Ten minutes behind this machine (AWS allows 15 of skew): the keys expire by the
  // endpoint's clock alone, whichever clock issued them were it the machine's.
  let endpointTime = Date.now() - 10 * 60_000;
  const aws = useLocalAws({ credentialLifetimeSeconds: 60, now: () => endpointTime });

  /** Temporary keys from AssumeRole at the endpoint, for use directly as the asset's keys. */
  const temporaryKeys = async () => {
    const sts = new STSClient({
      endpoint: aws().url,
      region: "us-east-1",
      credentials: { accessKeyId: DEMO.accessKeyId, secretAccessKey: DEMO.secretAccessKey },
    });
    try {
      const { Credentials } = await sts.send(
        new AssumeRoleCommand({
          RoleArn: DEMO.roleArn,
          RoleSessionName: "expiry-test",
          ExternalId: DEMO.externalId,
        }),
      );
      return {
        access_key: String(Credentials?.AccessKeyId),
        secret_key: String(Credentials?.SecretAccessKey),
        session_token: String(Credentials?.SessionToken),
      };
    } finally {
      sts.destroy();
    }
  };

  it("says temporary keys have expired, and how to renew them, without printing them", async () => {
    // Prepare
    const keys = await temporaryKeys();
    const invoke = () =>
      runAction("invoke_function", {
        asset: localAsset(aws().url, { ...keys, role_arn: undefined, external_id: undefined }),
        inputs: { function_name: "echo" },
      });
    const fresh = await invoke();

    // Act
    endpointTime += 61_000;
    const run = await invoke();

    // Assess
    expect(fresh.exitCode).toBe(0);
    expectAwsFailure(run, aws(), "Invoke", {
      code: "credentials_expired",
      aws_error_code: "ExpiredTokenException",
      http_status: 403,
    });
    expect(run.error?.hint).toContain("issue new ones");
    expect(run.error?.hint).toContain("session_token");
    expect(run.stderr).not.toContain(keys.session_token);
    expect(run.stderr).not.toContain(keys.secret_key);
  });
});
