/**
 * Executor.within over real HTTP against the local endpoint: executors for other regions
 * and accounts share the run's connections and credentials, each role is assumed once
 * for every region (chained from the asset's own role), and the run's executor counts,
 * masks and closes what they obtained.
 */
import { ListFunctionsCommand, type ListFunctionsCommandOutput } from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { DEMO_ACCOUNT_ID, DEMO_ROLE, demoAsset } from "../../local-aws/defaultWorld.js";
import { AUDIT_ACCOUNT_ID, AUDIT_ROLE, sweepWorld } from "../../local-aws/sweepWorld.js";
import { assetSchema } from "../../src/asset/schema.js";
import type { AwsCall } from "../../src/aws/call.js";
import { Executor } from "../../src/aws/executor.js";
import { useLocalAws } from "./harness.js";

const listFunctions: AwsCall = { operation: "ListFunctions", retry: "idempotent" };

async function functionArns(executor: Executor): Promise<string[]> {
  const page = await executor.send<ListFunctionsCommandOutput>(
    listFunctions,
    new ListFunctionsCommand({}),
  );
  return (page.Functions ?? []).map((fn) => fn.FunctionArn ?? "");
}

describe("Executor.within", () => {
  const aws = useLocalAws({ world: sweepWorld({ functionsPerRegion: 1 }) });

  it("reaches other regions and another account, assuming each role once, chained from the asset's role", async () => {
    const executor = new Executor(assetSchema.parse(demoAsset(aws().url)));
    const before = aws().assumeRoleCount();
    const from = aws().requests.length;
    try {
      const west = executor.within({ region: "us-west-2" });
      const auditEast = executor.within({ region: "us-east-1", roleArn: AUDIT_ROLE.arn });
      const auditWest = executor.within({ region: "eu-west-1", roleArn: AUDIT_ROLE.arn });

      const [own, westArns, eastAudit, westAudit] = await Promise.all([
        functionArns(executor),
        functionArns(west),
        functionArns(auditEast),
        functionArns(auditWest),
      ]);

      expect(own.every((arn) => arn.includes(`:us-east-1:${DEMO_ACCOUNT_ID}:`))).toBe(true);
      expect(westArns.length).toBeGreaterThan(0);
      expect(westArns.every((arn) => arn.includes(`:us-west-2:${DEMO_ACCOUNT_ID}:`))).toBe(true);
      expect(eastAudit).toContain(
        `arn:aws:lambda:us-east-1:${AUDIT_ACCOUNT_ID}:function:internal-report`,
      );
      expect(westAudit).toContain(
        `arn:aws:lambda:eu-west-1:${AUDIT_ACCOUNT_ID}:function:partner-intake`,
      );
      // The asset's role once, the audit role once (by the asset role's session) for both regions.
      expect(aws().assumeRoleCount() - before).toBe(2);
      expect(executor.assumeRoleCalls).toBe(2);
      const chained = aws()
        .requests.slice(from)
        .filter((request) => request.action === "AssumeRole")
        .map((request) => request.principalArn);
      expect(chained[1]).toMatch(`:assumed-role/${DEMO_ROLE.name}/`);
      // Both sessions' secrets are among those the run's output is masked for.
      expect(executor.obtainedSecrets().length).toBeGreaterThanOrEqual(4);
      expect(auditEast.context(listFunctions)).toMatchObject({
        region: "us-east-1",
        roleArn: AUDIT_ROLE.arn,
        signer: "role",
      });
    } finally {
      executor.destroy();
    }
  });

  it("leaves the derived executors' calls to the caller's retries with maxAttempts 1", async () => {
    const executor = new Executor(assetSchema.parse(demoAsset(aws().url)));
    aws().faults.throttleNext(1, { operation: "ListFunctions", retryAfterSeconds: 0 });
    try {
      const once = executor.within({ region: "us-west-2", maxAttempts: 1 });

      await expect(functionArns(once)).rejects.toMatchObject({ code: "throttled" });
      expect(await functionArns(once)).not.toEqual([]);
    } finally {
      aws().faults.clear();
      executor.destroy();
    }
  });
});
