import { describe, expect, it } from "vitest";
import { detectSecrets } from "../../../../src/actions/assess_function_security/environmentSecrets.js";

describe("detectSecrets", () => {
  it.each([
    ["GITHUB_TOKEN", "name:token"],
    ["TOKEN", "name:token"],
    ["SLACKTOKEN", "name:token"],
    ["CLIENT_SECRET", "name:secret"],
    ["DB_PASSWORD", "name:password"],
    ["SMTP_PWD", "name:password"],
    ["STRIPE_API_KEY", "name:api_key"],
    ["apikey", "name:api_key"],
    ["JWT_PRIVATE_KEY", "name:private_key"],
    ["PARTNER_ACCESS_KEY", "name:access_key"],
    ["GOOGLE_CREDENTIALS", "name:credentials"],
  ])("finds %s by its name (%s)", (name, detector) => {
    expect(detectSecrets({ [name]: "plain words" })).toEqual([
      { variable: name, detectors: [detector], credential_form: false },
    ]);
  });

  it.each([
    ["value:aws_access_key_id", "AKIAZ7Q4M2XW9RT3PLKD"],
    ["value:private_key", "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----"],
    ["value:jwt", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0dXJiaW5lIn0.c2lnbmF0dXJlLWZha2U"],
    ["value:token_prefix", "xoxb-123456789012-abcdefghijkl"],
    ["value:token_prefix", "glpat-abcdefghij0123456789"],
    ["value:url_with_password", "postgres://app:hunter2@db.internal/app"],
  ])("finds %s by the value's form, under any name", (detector, value) => {
    const [suspect] = detectSecrets({ SETTING: value });

    expect(suspect?.detectors).toContain(detector);
    expect(suspect?.credential_form).toBe(true);
  });

  it("finds a random string by its entropy, as a guess, not a credential form", () => {
    expect(detectSecrets({ SETTING: "Jx7Qp2Lm9Vz4Rt8Wk3Hn6Bd1Fs5Gy0Uc" })).toEqual([
      { variable: "SETTING", detectors: ["value:high_entropy"], credential_form: false },
    ]);
  });

  it.each([
    ["LOG_LEVEL", "debug"],
    ["TABLE", "indicator-cache"],
    ["TOKENIZER_MODEL", "bert-base-uncased"],
    ["QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/123456789012/indicators"],
    ["TOPIC", "arn:aws:sns:us-east-1:123456789012:alerts-and-escalations"],
    ["REQUEST_ID", "7c1a2b3d-1111-4e5f-8a9b-0123456789ab"],
    ["API_KEY_PARAMETER", "/prod/partner/api-key"],
    ["DB_PASSWORD_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:db"],
    ["EMPTY_SECRET", ""],
  ])("does not flag %s (a word, a URL, an ARN, a reference or nothing)", (name, value) => {
    expect(detectSecrets({ [name]: value })).toEqual([]);
  });

  it("never returns any part of a value, only names and detectors", () => {
    const value = "ghp_Zq8XwT3vL9mN2pR7sK4yB6cD1fG5hJ0aE8uQ";
    const printed = JSON.stringify(detectSecrets({ GITHUB_TOKEN: value }));

    for (let i = 0; i + 4 <= value.length; i++) {
      expect(printed).not.toContain(value.slice(i, i + 4));
    }
  });

  it("sorts by variable name", () => {
    const found = detectSecrets({ Z_TOKEN: "a b", A_SECRET: "c d" }).map((s) => s.variable);

    expect(found).toEqual(["A_SECRET", "Z_TOKEN"]);
  });
});
