/**
 * A call's deadline covers fetching its credentials: an STS that answers AssumeRole
 * with its headers and then one byte every 2 s, or nothing after its headers, and a
 * container credential endpoint that does the same, end the run at the deadline with
 * a message that names STS (or the credential chain), and Lambda is never called. Over
 * real HTTP to a small server on 127.0.0.1; once through the built entry process.
 */
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { GetAccountSettingsCommand } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTRY_PATH, runEntryProcess } from "../../scripts/lib/runEntryProcess.js";
import { assetSchema } from "../../src/asset/schema.js";
import { Executor } from "../../src/aws/executor.js";
import { ConnectorError } from "../../src/errors.js";
import { REGION } from "../fixtures.js";
import {
  type RoleEndpoint,
  roleAssetOn,
  type StsBehaviour,
  startRoleEndpoint,
} from "../support/roleEndpoint.js";
import { runAction } from "./harness.js";

/** What the longest case of each kind took, for docs/reliability.md. */
const longest: Record<string, number> = {};

function record(label: string, ms: number): void {
  longest[label] = Math.max(longest[label] ?? 0, Math.round(ms));
}

afterAll(() => {
  if (process.env.CREDENTIAL_DEADLINE_REPORT === "1") {
    process.stderr.write(`credential deadline, longest runs (ms): ${JSON.stringify(longest)}\n`);
  }
});

describe("the whole-call deadline covers credential resolution", () => {
  let endpoint: RoleEndpoint;

  beforeAll(async () => {
    endpoint = await startRoleEndpoint("trickle", (_request, _token, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end("{}");
    });
  });

  afterAll(async () => {
    await endpoint.close();
  });

  const asset = () => roleAssetOn(endpoint.url);

  it.each<StsBehaviour>(["trickle", "stall"])(
    "STS that %ss on AssumeRole: invoke_function with timeout_seconds 3 ends at 3 s naming STS",
    async (behaviour) => {
      // Prepare
      endpoint.sts = behaviour;
      const lambdaBefore = endpoint.lambdaCalls;

      // Act
      const started = performance.now();
      const run = await runAction("invoke_function", {
        asset: asset(),
        inputs: { function_name: "echo", timeout_seconds: 3 },
      });
      const ms = performance.now() - started;
      record(`sts ${behaviour}, invoke_function`, ms);

      // Assess
      expect(run.exitCode).toBe(1);
      expect(run.error?.code).toBe("request_timeout");
      expect(run.error?.message).toContain("No answer from STS to AssumeRole");
      expect(run.error?.message).toContain("the function did not run");
      expect(run.error?.message).not.toContain("Lambda to Invoke");
      expect(ms).toBeGreaterThanOrEqual(2_900);
      expect(ms).toBeLessThan(9_000);
      expect(endpoint.lambdaCalls).toBe(lambdaBefore);
    },
    15_000,
  );

  it("a control-plane call's own deadline bounds AssumeRole the same way", async () => {
    // Prepare: the executor as get_account_settings uses it, with a short deadline.
    endpoint.sts = "trickle";
    const executor = new Executor(assetSchema.parse(asset()));

    // Act
    const started = performance.now();
    const failure = await executor
      .send(
        {
          service: "lambda",
          operation: "GetAccountSettings",
          iamAction: "lambda:GetAccountSettings",
          resource: "*",
          retry: "idempotent",
          timeoutMs: 1_000,
        },
        new GetAccountSettingsCommand({}),
      )
      .catch((error: unknown) => error)
      .finally(() => executor.destroy());
    const ms = performance.now() - started;
    record("sts trickle, GetAccountSettings (1 s deadline)", ms);

    // Assess
    expect(failure).toBeInstanceOf(ConnectorError);
    expect((failure as ConnectorError).code).toBe("request_timeout");
    expect((failure as ConnectorError).message).toContain(
      "No answer from STS to AssumeRole for role",
    );
    expect(ms).toBeLessThan(6_000);
  });

  it("the entry process exits at the deadline while STS trickles", async () => {
    // Prepare
    if (!existsSync(ENTRY_PATH)) {
      throw new Error(`${ENTRY_PATH} is missing: run \`npm run build\` first`);
    }
    endpoint.sts = "trickle";
    const document = JSON.stringify({
      asset: asset(),
      inputs: { function_name: "echo", timeout_seconds: 3 },
    });
    const env = Object.fromEntries(
      Object.entries(process.env).filter(
        ([key]) => !/^(https?_proxy|no_proxy|all_proxy|aws_.*|asset_keys)$/i.test(key),
      ),
    );

    // Act
    const started = performance.now();
    const run = await runEntryProcess("invoke_function", document, env);
    const ms = performance.now() - started;
    record("sts trickle, entry process", ms);

    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.error?.code).toBe("request_timeout");
    expect(run.error?.message).toContain("STS");
    expect(ms).toBeLessThan(12_000);
  }, 20_000);
});

describe("the deadline covers the machine's credential chain", () => {
  let metadata: Server;
  let url = "";

  beforeAll(async () => {
    // A container credential endpoint that sends its headers, then nothing.
    metadata = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.flushHeaders();
    });
    await new Promise<void>((done) => metadata.listen(0, "127.0.0.1", () => done()));
    url = `http://127.0.0.1:${(metadata.address() as AddressInfo).port}/credentials`;
  });

  afterAll(async () => {
    metadata.closeAllConnections();
    await new Promise((done) => metadata.close(done));
  });

  it("a stalled container endpoint ends invoke_function at 3 s naming the chain", async () => {
    // Act
    const started = performance.now();
    const run = await runAction(
      "invoke_function",
      {
        asset: { region_name: REGION, endpoint_url: "http://127.0.0.1:9" },
        inputs: { function_name: "echo", timeout_seconds: 3 },
      },
      { AWS_CONTAINER_CREDENTIALS_FULL_URI: url },
    );
    const ms = performance.now() - started;
    record("container endpoint stalls, invoke_function", ms);

    // Assess
    expect(run.error?.code).toBe("request_timeout");
    expect(run.error?.message).toContain("No credentials from the machine's AWS credential chain");
    expect(ms).toBeLessThan(9_000);
  }, 15_000);
});
