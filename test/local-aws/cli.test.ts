import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, describe, expect, it } from "vitest";
import { DEMO_ROLE, DEMO_USER } from "../../local-aws/defaultWorld.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

interface Started {
  child: ChildProcess;
  /** Everything written to stderr so far. */
  stderr: () => string;
}

/** Runs the CLI under bare node with tsx's loader, as `npx tsx` would but without npm between. */
function startCli(args: string[]): Started {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/local-aws.ts", ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  return { child, stderr: () => stderr };
}

async function firstLine(child: ChildProcess): Promise<string> {
  let stdout = "";
  for await (const chunk of child.stdout ?? []) {
    stdout += String(chunk);
    if (stdout.includes("\n")) {
      return stdout.slice(0, stdout.indexOf("\n"));
    }
  }
  throw new Error("the CLI ended without printing its asset");
}

describe("local AWS: the CLI", () => {
  const started: ChildProcess[] = [];

  afterAll(() => {
    for (const child of started) {
      if (child.exitCode === null) {
        child.kill("SIGKILL");
      }
    }
  });

  it("prints a working asset on stdout and closes cleanly on SIGTERM", async () => {
    // Prepare
    const cli = startCli(["--port", "0", "--credential-lifetime", "30"]);
    started.push(cli.child);
    const asset = JSON.parse(await firstLine(cli.child)) as Record<string, string>;
    const sts = new STSClient({
      endpoint: asset.sts_endpoint_url,
      region: asset.region_name,
      credentials: { accessKeyId: asset.access_key ?? "", secretAccessKey: asset.secret_key ?? "" },
    });

    // Act
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    const assumed = await sts.send(
      new AssumeRoleCommand({
        RoleArn: asset.role_arn,
        ExternalId: asset.external_id,
        RoleSessionName: asset.role_session_name,
      }),
    );
    sts.destroy();
    const exited = once(cli.child, "exit");
    cli.child.kill("SIGTERM");
    const [code] = await exited;

    // Assess
    expect(asset).toMatchObject({
      access_key: DEMO_USER.accessKeyId,
      secret_key: DEMO_USER.secretAccessKey,
      region_name: "us-east-1",
      role_arn: DEMO_ROLE.arn,
      external_id: DEMO_ROLE.externalId,
      role_session_name: "turbine-local-demo",
    });
    expect(asset.endpoint_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(asset.sts_endpoint_url).toBe(asset.endpoint_url);
    expect(identity.Arn).toBe(DEMO_USER.arn);
    const lifetime = (assumed.Credentials?.Expiration?.getTime() ?? 0) - Date.now();
    expect(lifetime).toBeLessThanOrEqual(31_000);
    expect(code).toBe(0);
    expect(cli.stderr()).toContain("local-aws: SIGTERM, closing.");
  });

  it("refuses a malformed flag with exit code 2 and the usage", async () => {
    // Prepare
    const cli = startCli(["--port", "eighty"]);
    started.push(cli.child);

    // Act
    const [code] = await once(cli.child, "exit");

    // Assess
    expect(code).toBe(2);
    expect(cli.stderr()).toContain("--port must be a whole number");
    expect(cli.stderr()).toContain("usage: npx tsx scripts/local-aws.ts");
  });
});
