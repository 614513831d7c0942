import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { LocalAws } from "../../local-aws/LocalAws.js";
import { invokeFunctionAction } from "../../src/actions/invoke_function/invoke_function.js";
import { assetSchema } from "../../src/asset/schema.js";
import { Executor } from "../../src/aws/executor.js";

/** Per-invoke times of both sides, and the AssumeRole calls the connector's side made. */
export interface WarmResult {
  /** Through `invokeFunctionAction.run` on one Executor, ms per invoke. */
  connectorMs: number[];
  /** Through `LambdaClient.send(InvokeCommand)` with one AssumeRole's credentials, ms per invoke. */
  rawMs: number[];
  /** AssumeRole calls the endpoint served from the fresh executor's first call to its last. */
  assumeRoleCallsAtEndpoint: number;
  /** The executor's own count of its AssumeRole calls. */
  assumeRoleCallsByExecutor: number;
}

/** The job both sides repeat, and how often. */
export interface WarmJob {
  asset: Record<string, string>;
  functionName: string;
  event: Record<string, unknown>;
  invokes: number;
  /** Untimed invokes per side before the timed ones (they include the AssumeRole). */
  warmup: number;
}

/**
 * Times `invokes` sequential synchronous invokes per side in this process, alternating
 * sides invoke by invoke (and which goes first), so both see the same machine noise.
 * Both sides encode the event and decode the answer's JSON, as each must to be useful.
 */
export async function measureWarmInvokes(aws: LocalAws, job: WarmJob): Promise<WarmResult> {
  const { asset } = job;
  const inputs = invokeFunctionAction.inputs.parse({
    function_name: job.functionName,
    payload: job.event,
  });

  const sts = new STSClient({
    region: asset.region_name,
    endpoint: asset.sts_endpoint_url,
    credentials: { accessKeyId: asset.access_key ?? "", secretAccessKey: asset.secret_key ?? "" },
  });
  const { Credentials: role } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: asset.role_arn,
      RoleSessionName: "raw-sdk-bench",
      ExternalId: asset.external_id,
    }),
  );
  sts.destroy();
  const lambda = new LambdaClient({
    region: asset.region_name,
    endpoint: asset.endpoint_url,
    credentials: {
      accessKeyId: role?.AccessKeyId ?? "",
      secretAccessKey: role?.SecretAccessKey ?? "",
      sessionToken: role?.SessionToken ?? "",
    },
  });
  const raw = async () => {
    const response = await lambda.send(
      new InvokeCommand({ FunctionName: job.functionName, Payload: JSON.stringify(job.event) }),
    );
    const payload = JSON.parse(Buffer.from(response.Payload ?? []).toString("utf8")) as unknown;
    if (response.StatusCode !== 200 || payload === null) {
      throw new Error(`raw invoke answered ${response.StatusCode}`);
    }
  };

  const assumedBefore = aws.assumeRoleCount();
  const executor = new Executor(assetSchema.parse(asset));
  const connector = async () => {
    const output = await invokeFunctionAction.run(inputs, executor);
    if (output.status_code !== 200 || output.function_error !== null) {
      throw new Error(`connector invoke answered ${output.status_code}`);
    }
  };

  try {
    for (let i = 0; i < job.warmup; i++) {
      await connector();
      await raw();
    }
    const connectorMs: number[] = [];
    const rawMs: number[] = [];
    const timed = async (invoke: () => Promise<void>, into: number[]) => {
      const started = performance.now();
      await invoke();
      into.push(performance.now() - started);
    };
    for (let i = 0; i < job.invokes; i++) {
      if (i % 2 === 0) {
        await timed(connector, connectorMs);
        await timed(raw, rawMs);
      } else {
        await timed(raw, rawMs);
        await timed(connector, connectorMs);
      }
    }
    return {
      connectorMs,
      rawMs,
      assumeRoleCallsAtEndpoint: aws.assumeRoleCount() - assumedBefore,
      assumeRoleCallsByExecutor: executor.assumeRoleCalls,
    };
  } finally {
    executor.destroy();
    lambda.destroy();
  }
}
