/**
 * The property checks check themselves: each crafted run below breaks one property, and
 * checkRun must report exactly that, so a check that went blind fails here.
 */
import { describe, expect, it } from "vitest";
import type { RunResult } from "../../src/runConnector.js";
import { checkRun } from "./runContract.js";

const SECRET = { name: "crafted secret", value: 'k3y"with/\\odd%chars' };

const errorLine = (error: Record<string, unknown>) => `::set-error ${JSON.stringify(error)}\n`;
const failed = (
  exitCode: number,
  error: Record<string, unknown>,
  extra: Partial<RunResult> = {},
) => ({
  exitCode,
  stdout: "",
  stderr: errorLine(error),
  ...extra,
});
const BASE = { code: "invalid_input", message: "function_name: is required", hint: "Give it." };

describe("checkRun", () => {
  it("passes a run that keeps every property", () => {
    expect(checkRun(failed(2, { ...BASE, field: "function_name" }), [SECRET]).violations).toEqual(
      [],
    );
    expect(
      checkRun({ exitCode: 0, stdout: '::set-output {"ok":true}\n', stderr: "note: x\n" }, [SECRET])
        .violations,
    ).toEqual([]);
  });

  it.each([
    ["an exit code other than 0, 1 and 2", failed(3, { ...BASE, field: "x" })],
    ["internal_error", failed(1, { ...BASE, code: "internal_error" })],
  ])("reports a crash: %s", (_label, result) => {
    expect(checkRun(result, []).violations.map((v) => v.property)).toContain("crash");
  });

  it("reports an exit-2 failure without a field, or with an empty one", () => {
    expect(checkRun(failed(2, BASE), []).violations.map((v) => v.property)).toEqual(["field"]);
    expect(
      checkRun(failed(2, { ...BASE, field: "" }), []).violations.map((v) => v.property),
    ).toEqual(["field"]);
  });

  it("exempts the whole-document usage errors, and only those", () => {
    const usage = (message: string) => failed(2, { code: "usage", message, hint: "h" });

    expect(checkRun(usage("Standard input is not valid JSON."), []).violations).toEqual([]);
    expect(checkRun(usage('Unknown action "x"; this connector offers: a.'), []).violations).toEqual(
      [],
    );
    expect(checkRun(usage("Some new usage error."), []).violations.map((v) => v.property)).toEqual([
      "field",
    ]);
  });

  it.each([
    [
      "raw on stdout",
      { exitCode: 0, stdout: `::set-output {"k":1}\n`, stderr: `note ${SECRET.value}\n` },
    ],
    ["JSON-escaped in the error line", failed(1, { ...BASE, message: `bad ${SECRET.value}` })],
    ["percent-encoded in a hint", failed(1, { ...BASE, hint: encodeURIComponent(SECRET.value) })],
  ])("reports a secret %s", (_label, result) => {
    expect(checkRun(result, [SECRET]).violations.map((v) => v.property)).toContain("secret");
  });

  it.each([
    ["stdout on failure", failed(1, BASE, { stdout: "partial" })],
    ["two error lines", { exitCode: 1, stdout: "", stderr: errorLine(BASE) + errorLine(BASE) }],
    [
      "an error line that is not last",
      { exitCode: 1, stdout: "", stderr: `${errorLine(BASE)}later\n` },
    ],
    [
      "an error line that is not compact",
      {
        exitCode: 1,
        stdout: "",
        stderr: `::set-error ${JSON.stringify(BASE, null, 1).replaceAll("\n", " ")}\n`,
      },
    ],
    ["an error line without a hint", failed(1, { code: "aws_error", message: "m" })],
    [
      "an output line that is not compact",
      { exitCode: 0, stdout: '::set-output { "ok": true }\n', stderr: "" },
    ],
    [
      "an error line on success",
      { exitCode: 0, stdout: "::set-output {}\n", stderr: errorLine(BASE) },
    ],
  ])("reports a broken output contract: %s", (_label, result) => {
    expect(checkRun(result, []).violations.map((v) => v.property)).toContain("contract");
  });
});
