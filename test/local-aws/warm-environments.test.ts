import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  InvokeCommand,
  type LambdaClient,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_USER } from "../../local-aws/defaultWorld.js";
import { type LocalAws, type LocalAwsOptions, startLocalAws } from "../../local-aws/LocalAws.js";
import { EMPTY_ZIP, lambdaClient, payloadOf } from "./fixtures.js";

/**
 * A handler that names its execution environment (an id drawn when its module loads)
 * and counts the invocations that environment ran; it hangs or throws when asked.
 */
const COUNTING_HANDLER = `
const environment = crypto.randomUUID();
let invocations = 0;
export const handler = async (event) => {
  invocations += 1;
  if (event.hang === true) {
    await new Promise(() => setInterval(() => undefined, 60_000));
  }
  if (event.fail === true) {
    throw new Error("asked to fail");
  }
  return { environment, invocations };
};
`;

const FUNCTION = "counts-invocations";
const FUNCTION_ARN = `arn:aws:lambda:us-east-1:123456789012:function:${FUNCTION}`;

interface Answer {
  environment: string;
  invocations: number;
}

/** An endpoint with the counting function, version 1 published, and the user allowed to change it. */
async function startWith(
  scratch: string,
  options: Partial<LocalAwsOptions>,
): Promise<{ aws: LocalAws; lambda: LambdaClient }> {
  const aws = await startLocalAws({ stateTransitionMs: 0, ...options });
  const code = join(scratch, "counts-invocations.mjs");
  await writeFile(code, COUNTING_HANDLER);
  aws.world.functions.push({
    name: FUNCTION,
    region: "us-east-1",
    code,
    timeoutSeconds: 3,
    memorySizeMb: 128,
    versions: ["1"],
  });
  aws.world.users
    .find((user) => user.name === DEMO_USER.name)
    ?.policy.push({
      effect: "Allow",
      actions: [
        "lambda:InvokeFunction",
        "lambda:UpdateFunctionCode",
        "lambda:UpdateFunctionConfiguration",
      ],
      resources: [FUNCTION_ARN, `${FUNCTION_ARN}:*`],
    });
  return { aws, lambda: lambdaClient(aws, { maxAttempts: 1 }) };
}

async function invoke(
  lambda: LambdaClient,
  event: Record<string, unknown> = {},
  qualifier?: string,
): Promise<Answer> {
  const result = await lambda.send(
    new InvokeCommand({
      FunctionName: FUNCTION,
      Payload: JSON.stringify(event),
      ...(qualifier === undefined ? {} : { Qualifier: qualifier }),
    }),
  );
  expect(result.FunctionError).toBeUndefined();
  return payloadOf(result.Payload) as Answer;
}

describe("local AWS: warm execution environments (warmEnvironments: true)", () => {
  let scratch: string;
  let aws: LocalAws;
  let lambda: LambdaClient;
  /** When set, the next invocation's timeout expires as soon as it is under way. */
  let expireAtOnce = false;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), "local-aws-warm-"));
    ({ aws, lambda } = await startWith(scratch, {
      warmEnvironments: true,
      functionTimeoutTimer: (ms, expire) => {
        if (expireAtOnce) {
          expireAtOnce = false;
          const immediate = setImmediate(expire);
          return () => clearImmediate(immediate);
        }
        const timer = setTimeout(expire, ms);
        return () => clearTimeout(timer);
      },
    }));
  });

  afterAll(async () => {
    lambda.destroy();
    await aws.close();
    await rm(scratch, { recursive: true, force: true });
  });

  beforeEach(async () => {
    // Each test starts from an environment of its own: a failed invocation retires the last.
    await lambda
      .send(new InvokeCommand({ FunctionName: FUNCTION, Payload: '{"fail":true}' }))
      .catch(() => undefined);
    await lambda
      .send(new InvokeCommand({ FunctionName: FUNCTION, Payload: '{"fail":true}', Qualifier: "1" }))
      .catch(() => undefined);
  });

  it("runs the second invocation in the environment the first one left", async () => {
    const runsBefore = aws.runCount(FUNCTION);

    const first = await invoke(lambda);
    const second = await invoke(lambda);

    expect(first.invocations).toBe(1);
    expect(second).toEqual({ environment: first.environment, invocations: 2 });
    expect(aws.runCount(FUNCTION)).toBe(runsBefore + 2);
  });

  it("gives another version its own environment, and reuses each", async () => {
    const latest = await invoke(lambda);
    const one = await invoke(lambda, {}, "1");
    const oneAgain = await invoke(lambda, {}, "1");
    const latestAgain = await invoke(lambda);

    expect(one.environment).not.toBe(latest.environment);
    expect(one.invocations).toBe(1);
    expect(oneAgain).toEqual({ environment: one.environment, invocations: 2 });
    expect(latestAgain).toEqual({ environment: latest.environment, invocations: 2 });
  });

  it("starts a fresh environment once the function's code is updated", async () => {
    const before = await invoke(lambda);

    await lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: FUNCTION, ZipFile: EMPTY_ZIP }),
    );
    const after = await invoke(lambda);

    expect(after.environment).not.toBe(before.environment);
    expect(after.invocations).toBe(1);
  });

  it("starts a fresh environment once the function's configuration is updated", async () => {
    const before = await invoke(lambda);

    await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: FUNCTION,
        Environment: { Variables: { MODE: "changed" } },
      }),
    );
    const after = await invoke(lambda);

    expect(after.environment).not.toBe(before.environment);
    expect(after.invocations).toBe(1);
  });

  it("never reuses an environment whose invocation timed out", async () => {
    const before = await invoke(lambda);
    expireAtOnce = true;

    const timedOut = await lambda.send(
      new InvokeCommand({ FunctionName: FUNCTION, Payload: '{"hang":true}' }),
    );
    const after = await invoke(lambda);

    expect(timedOut.FunctionError).toBe("Unhandled");
    expect(payloadOf(timedOut.Payload)).toMatchObject({ errorType: "Sandbox.Timedout" });
    expect(after.environment).not.toBe(before.environment);
    expect(after.invocations).toBe(1);
  });

  it("never reuses an environment whose handler threw", async () => {
    const before = await invoke(lambda);

    const failed = await lambda.send(
      new InvokeCommand({ FunctionName: FUNCTION, Payload: '{"fail":true}' }),
    );
    const after = await invoke(lambda);

    expect(payloadOf(failed.Payload)).toMatchObject({ errorMessage: "asked to fail" });
    expect(after.environment).not.toBe(before.environment);
    expect(after.invocations).toBe(1);
  });

  it("runs concurrent invocations in environments of their own, then keeps both", async () => {
    const [a, b] = await Promise.all([invoke(lambda), invoke(lambda)]);
    const [c, d] = await Promise.all([invoke(lambda), invoke(lambda)]);

    expect(a.environment).not.toBe(b.environment);
    expect(new Set([c.environment, d.environment])).toEqual(
      new Set([a.environment, b.environment]),
    );
    expect([c.invocations, d.invocations]).toEqual([2, 2]);
  });
});

describe("local AWS: execution environments by default", () => {
  let scratch: string;
  let aws: LocalAws;
  let lambda: LambdaClient;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), "local-aws-cold-"));
    ({ aws, lambda } = await startWith(scratch, {}));
  });

  afterAll(async () => {
    lambda.destroy();
    await aws.close();
    await rm(scratch, { recursive: true, force: true });
  });

  it("starts every invocation in a fresh environment", async () => {
    const first = await invoke(lambda);
    const second = await invoke(lambda);

    expect(second.environment).not.toBe(first.environment);
    expect([first.invocations, second.invocations]).toEqual([1, 1]);
  });
});
