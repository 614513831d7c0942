import { describe, expect, it } from "vitest";
import { grantOf, principalInput, sameGrant } from "../../../src/actions/permissionGrant.js";
import type { PolicyStatement } from "../../../src/actions/policyStatements.js";
import { FUNCTION_ARN } from "../../fixtures.js";

const statement = (parts: Partial<PolicyStatement>): PolicyStatement => ({
  sid: "grant",
  effect: "Allow",
  principal: "*",
  action: ["lambda:InvokeFunction"],
  resource: [FUNCTION_ARN],
  conditions: {},
  ...parts,
});

describe("grantOf: the add_permission inputs that recreate a statement exactly", () => {
  it.each([
    [
      "an account root, as AWS writes it",
      { AWS: "arn:aws:iam::210987654321:root" },
      "210987654321",
    ],
    ["a bare account ID", "210987654321", "210987654321"],
    [
      "an IAM role",
      { AWS: "arn:aws:iam::210987654321:role/x" },
      "arn:aws:iam::210987654321:role/x",
    ],
    ["a service", { Service: "s3.amazonaws.com" }, "s3.amazonaws.com"],
    ["anyone", "*", "*"],
  ])("reads %s as principal %s", (_case, principal, expected) => {
    expect(grantOf(statement({ principal }))).toMatchObject({ principal: expected });
  });

  it("reads every condition AddPermission writes, whatever the case of its key", () => {
    const grant = grantOf(
      statement({
        conditions: {
          StringEquals: {
            "aws:SourceAccount": "123456789012",
            "aws:principalorgid": "o-a1b2c3d4e5",
            "lambda:EventSourceToken": "token",
            "lambda:FunctionUrlAuthType": "NONE",
          },
          ArnLike: { "AWS:SourceArn": "arn:aws:s3:::bucket" },
          Bool: { "lambda:InvokedViaFunctionUrl": "true" },
        },
      }),
    );

    expect(grant).toEqual({
      statement_id: "grant",
      principal: "*",
      action: "lambda:InvokeFunction",
      source_account: "123456789012",
      principal_org_id: "o-a1b2c3d4e5",
      event_source_token: "token",
      function_url_auth_type: "NONE",
      source_arn: "arn:aws:s3:::bucket",
      invoked_via_function_url: true,
    });
  });

  it.each([
    ["a Deny", { effect: "Deny" }, "its effect is Deny"],
    ["no Sid", { sid: null }, "it has no Sid"],
    [
      "two actions",
      { action: ["lambda:InvokeFunction", "lambda:GetFunction"] },
      "exactly one action",
    ],
    ["two principals", { principal: { AWS: ["111111111111", "222222222222"] } }, "its principal"],
    [
      "a federated principal",
      { principal: { Federated: "cognito-identity.amazonaws.com" } },
      "its principal",
    ],
    [
      "a condition AddPermission never writes",
      { conditions: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } } },
      "IpAddress aws:SourceIp",
    ],
    [
      "a known key under another operator",
      { conditions: { StringLike: { "aws:SourceAccount": "1234*" } } },
      "StringLike aws:SourceAccount",
    ],
    [
      "a condition with two values",
      { conditions: { StringEquals: { "aws:SourceAccount": ["111111111111", "222222222222"] } } },
      "StringEquals aws:SourceAccount",
    ],
  ])("refuses %s rather than approximate it", (_case, parts, why) => {
    const grant = grantOf(statement(parts as Partial<PolicyStatement>));

    expect(grant).toEqual({ unexpressible: expect.stringContaining(why) });
  });
});

describe("sameGrant", () => {
  const base = { statement_id: "s", principal: "123456789012", action: "lambda:InvokeFunction" };

  it("takes an account ID and its root ARN for the same principal", () => {
    expect(sameGrant(base, { ...base, principal: "arn:aws:iam::123456789012:root" })).toBe(true);
  });

  it.each([
    ["a condition more", { principal_org_id: "o-a1b2c3d4e5" }],
    ["another action", { action: "lambda:InvokeFunctionUrl" }],
    ["another principal", { principal: "*" }],
  ])("tells apart %s", (_case, change) => {
    expect(sameGrant(base, { ...base, ...change })).toBe(false);
  });

  it("takes invoked_via_function_url false for unset", () => {
    expect(sameGrant(base, { ...base, invoked_via_function_url: false })).toBe(true);
  });
});

describe("principalInput", () => {
  it("has no input form for a list of principals", () => {
    expect(principalInput({ AWS: ["111111111111"] })).toBeUndefined();
  });
});
