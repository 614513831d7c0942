import type { Runtime } from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import {
  environmentFindings,
  type FunctionContext,
  runtimeFindings,
  supplyChainFindings,
} from "../../../../src/actions/assess_function_security/checks.js";

const NOW = Date.parse("2025-11-01T00:00:00Z");
const ARN = "arn:aws:lambda:us-east-1:123456789012:function:echo";

function context(configuration: FunctionContext["configuration"]): FunctionContext {
  return { functionName: "echo", arn: ARN, now: NOW, configuration };
}

describe("environmentFindings", () => {
  it("rates a credential-shaped value high and names the customer key, never the value", () => {
    const value = "AKIAZ7Q4M2XW9RT3PLKD";
    const kms = "arn:aws:kms:us-east-1:123456789012:key/1234abcd";

    const findings = environmentFindings(
      context({ Environment: { Variables: { SETTING: value } }, KMSKeyArn: kms }),
    );

    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: "high", kind: "secret_in_environment" });
    expect(findings[0]?.why).toContain("Its value has the form of a credential.");
    expect(findings[0]?.why).toContain(`encrypted with the customer KMS key ${kms}`);
    expect(findings[0]?.evidence.customer_kms_key).toBe(kms);
    expect(JSON.stringify(findings)).not.toContain(value);
  });

  it("rates a secret guessed by its name medium, under Lambda's own key", () => {
    const findings = environmentFindings(
      context({ Environment: { Variables: { DB_PASSWORD: "plain words" } } }),
    );

    expect(findings[0]).toMatchObject({ severity: "medium", evidence: { customer_kms_key: null } });
    expect(findings[0]?.why).toContain("Its name or randomness says it is one.");
    expect(findings[0]?.why).toContain("only with Lambda's AWS-managed key");
    expect(findings[0]?.remedy).toContain("remove it from echo's environment");
  });

  it("finds nothing in a function without an environment", () => {
    expect(environmentFindings(context({}))).toEqual([]);
  });
});

describe("runtimeFindings", () => {
  it("has nothing to say of a function without a runtime (a container image)", () => {
    expect(runtimeFindings(context({ PackageType: "Image" }))).toEqual([]);
  });

  it("says a runtime missing from the table could not be judged", () => {
    const findings = runtimeFindings(
      // A runtime newer than the SDK's own list: AWS may answer one the SDK does not name.
      context({ Runtime: "nodejs99.x" as string as Runtime }),
    );

    expect(findings).toEqual([
      expect.objectContaining({
        severity: "info",
        kind: "unknown_runtime",
        evidence: expect.objectContaining({ runtime: "nodejs99.x", deprecation_date: null }),
      }),
    ]);
    expect(findings[0]?.what).toContain("is not in the deprecation table");
  });

  it("warns of a runtime deprecated within 90 days, with its date and the days left", () => {
    const findings = runtimeFindings(context({ Runtime: "python3.9" }));

    expect(findings).toEqual([
      expect.objectContaining({ severity: "info", kind: "runtime_deprecating" }),
    ]);
    expect(findings[0]?.what).toBe(
      "The runtime python3.9 is deprecated on 2025-12-15, in 44 days.",
    );
    expect(findings[0]?.why).toBe("From that date the runtime gets no security patches.");
  });

  it("rates a deprecated runtime medium, with how long ago", () => {
    const findings = runtimeFindings(context({ Runtime: "nodejs16.x" }));

    expect(findings[0]).toMatchObject({ severity: "medium", kind: "deprecated_runtime" });
    expect(findings[0]?.what).toContain("was deprecated on 2024-06-12");
  });
});

describe("supplyChainFindings", () => {
  it("names a layer of another account, and ignores one without an ARN", () => {
    const foreign = "arn:aws:lambda:us-east-1:999988887777:layer:tools:3";

    const findings = supplyChainFindings(
      context({ Layers: [{ Arn: foreign }, { CodeSize: 10 }] }),
      "arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-1",
    );

    expect(findings).toEqual([
      expect.objectContaining({
        kind: "foreign_layer",
        evidence: {
          layer_arn: foreign,
          layer_account: "999988887777",
          function_account: "123456789012",
        },
      }),
    ]);
    expect(findings[0]?.what).toContain("not the function's own 123456789012");
  });
  it("names the layer's account alone when AWS gave the function no ARN", () => {
    const foreign = "arn:aws:lambda:us-east-1:999988887777:layer:tools:3";

    const findings = supplyChainFindings(
      { ...context({ Layers: [{ Arn: foreign }] }), arn: "" },
      "",
    );

    const layer = findings.find((finding) => finding.kind === "foreign_layer");
    expect(layer?.what).toBe(`The layer ${foreign} comes from account 999988887777.`);
    expect(layer?.evidence.function_account).toBeNull();
  });
});
