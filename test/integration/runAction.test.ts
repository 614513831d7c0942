import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERROR_PREFIX } from "../../src/turbine/contract.js";
import { localAsset, useLocalAws } from "./harness.js";

const run = promisify(execFile);
const SCRIPT = resolve(import.meta.dirname, "..", "..", "scripts", "run-action.ts");

/** `npm run action -- invoke_function …args` as the script runs it: its own process. */
const invokeByScript = (...args: string[]) =>
  run(process.execPath, ["--import", "tsx", SCRIPT, "invoke_function", ...args]);

describe("the local runner (npm run action)", () => {
  const aws = useLocalAws();
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "run-action-"));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("runs an action from asset and input files and prints its output pretty", async () => {
    // Prepare
    const asset = join(dir, "asset.json");
    const input = join(dir, "input.json");
    await writeFile(asset, JSON.stringify(localAsset(aws().url)));
    await writeFile(input, JSON.stringify({ function_name: "echo:previous", payload: { n: 7 } }));

    // Act
    const { stdout } = await invokeByScript("--asset", asset, "--input", input);

    // Assess
    expect(stdout.split("\n").length).toBeGreaterThan(5);
    expect(JSON.parse(stdout)).toMatchObject({ status_code: 200, executed_version: "1" });
  });

  it("exits with the entry's code and prints the error line pretty when the action fails", async () => {
    // Prepare
    const asset = join(dir, "bad-asset.json");
    await writeFile(asset, JSON.stringify({ region_name: "mars-1" }));

    // Act
    const failure = await invokeByScript("--asset", asset).catch(
      (error: { code: number; stderr: string }) => error,
    );

    // Assess
    expect(failure).toMatchObject({ code: 2 });
    const stderr = (failure as { stderr: string }).stderr;
    const pretty = /^::set-error (\{\n[\s\S]*?\n\})$/m.exec(stderr)?.[1];
    expect(stderr).toContain(`${ERROR_PREFIX}{\n  "code": "invalid_asset",`);
    expect(JSON.parse(pretty ?? "null")).toMatchObject({
      code: "invalid_asset",
      field: "region_name",
    });
    expect(stderr.trimEnd().split("\n").at(-1)).toBe("invoke_function failed with exit code 2");
  });

  it.each([
    ["--asset", "a file that is not there", (d: string) => join(d, "missing.json"), "no such file"],
    ["--asset", "a folder", (d: string) => d, "a folder"],
    ["--input", "a file that is not JSON", (d: string) => join(d, "not-json.txt"), "not JSON"],
  ])("refuses %s naming %s in one line, without a stack trace", async (option, _, path, why) => {
    // Prepare
    const asset = join(dir, "ok-asset.json");
    await writeFile(asset, JSON.stringify(localAsset(aws().url)));
    await writeFile(join(dir, "not-json.txt"), "region_name: us-east-1");
    const file = path(dir);
    const args = option === "--asset" ? ["--asset", file] : ["--asset", asset, "--input", file];

    // Act
    const failure = await invokeByScript(...args).catch(
      (error: { code: number; stderr: string }) => error,
    );

    // Assess
    expect(failure).toMatchObject({ code: 2 });
    const stderr = (failure as { stderr: string }).stderr;
    expect(stderr.trimEnd().split("\n")).toEqual([
      expect.stringContaining(`${option} ${file}: ${why}`),
    ]);
    expect(stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });
});
