import { describe, expect, it } from "vitest";
import {
  assetSchema,
  DEFAULT_SESSION_DURATION_SECONDS,
  PROXY_PROTOCOLS,
} from "../../../src/asset/schema.js";
import { InvalidInputError } from "../../../src/errors.js";
import { parseDocument } from "../../../src/validation.js";
import {
  ACCESS_KEY_ID,
  EXTERNAL_ID,
  keysAsset,
  PROXY_PASSWORD,
  PROXY_USER,
  printedText,
  ROLE_ARN,
  roleAsset,
  SECRET_ACCESS_KEY,
  SESSION_TOKEN,
  TEMPORARY_ACCESS_KEY_ID,
  temporaryKeysAsset,
  thrownConnectorError,
} from "../../fixtures.js";

function parseAsset(raw: Record<string, unknown>) {
  return parseDocument(assetSchema, raw, "asset");
}

function assetError(raw: Record<string, unknown>) {
  return thrownConnectorError(() => parseAsset(raw));
}

describe("asset schema", () => {
  describe("defaults", () => {
    it("fills in session_duration and verify_ssl and leaves the rest unset", () => {
      const asset = parseAsset(keysAsset);

      expect(asset).toEqual({
        access_key: ACCESS_KEY_ID,
        secret_key: SECRET_ACCESS_KEY,
        region_name: "us-east-1",
        session_duration: DEFAULT_SESSION_DURATION_SECONDS,
        verify_ssl: true,
      });
      expect(DEFAULT_SESSION_DURATION_SECONDS).toBe(3600);
    });

    it("accepts a region alone, for the machine's credential chain", () => {
      const asset = parseAsset({ region_name: "eu-west-1" });

      expect(asset.access_key).toBeUndefined();
      expect(asset.secret_key).toBeUndefined();
    });

    it("accepts a full role asset as given", () => {
      const asset = parseAsset({ ...roleAsset, session_duration: 900, verify_ssl: false });

      expect(asset).toMatchObject({
        role_arn: ROLE_ARN,
        external_id: EXTERNAL_ID,
        session_duration: 900,
        verify_ssl: false,
      });
    });
  });

  describe("region_name", () => {
    it.each([
      "us-east-1",
      "eu-central-2",
      "ap-southeast-5",
      "sa-east-1",
      "ca-west-1",
      "me-central-1",
      "af-south-1",
      "il-central-1",
      "mx-central-1",
      "cn-north-1",
      "cn-northwest-1",
      "us-gov-west-1",
      "us-gov-east-1",
      "us-iso-east-1",
      "us-isob-east-1",
      "us-isof-south-1",
      "eu-isoe-west-1",
      "eusc-de-east-1",
    ])("accepts %s", (region) => {
      expect(parseAsset({ region_name: region }).region_name).toBe(region);
    });

    it.each([
      "fips-us-east-1",
      "us-east-1-fips",
      "US-EAST-1",
      "us-east",
      "useast1",
      "xx-east-1",
      "us-east-1 ",
      "global",
      "",
    ])("refuses %j, naming region_name", (region) => {
      const error = assetError({ region_name: region });

      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.code).toBe("invalid_asset");
      expect(error.exitCode).toBe(2);
      expect(error.field).toBe("region_name");
      expect(error.message).toContain("region_name: must be an AWS region name");
    });

    it("says it is required when missing", () => {
      const error = assetError({ access_key: ACCESS_KEY_ID, secret_key: SECRET_ACCESS_KEY });

      expect(error.field).toBe("region_name");
      expect(error.message).toContain("region_name: is required");
    });
  });

  describe("access keys", () => {
    it.each([
      ["a long-term key", ACCESS_KEY_ID],
      ["a 16-character key", "AKIA0123456789AB"],
      ["a 128-character key", `AKIA${"Z".repeat(124)}`],
    ])("accepts %s", (_label, key) => {
      expect(parseAsset({ ...keysAsset, access_key: key }).access_key).toBe(key);
    });

    it.each([
      ["lower case", "akiaiosfodnn7example"],
      ["an unknown prefix", "AXIAIOSFODNN7EXAMPLE"],
      ["too short", "AKIA0123456"],
      ["too long", `AKIA${"Z".repeat(125)}`],
      ["punctuation", "AKIAIOSFODNN7EXAMPL-"],
    ])("refuses a key ID with %s", (_label, key) => {
      const error = assetError({ ...keysAsset, access_key: key });

      expect(error.field).toBe("access_key");
      expect(error.message).toContain("access_key: must be an AWS access key ID");
      expect(printedText(error)).not.toContain(SECRET_ACCESS_KEY);
    });

    it("refuses an access key without its secret", () => {
      const error = assetError({ access_key: ACCESS_KEY_ID, region_name: "us-east-1" });

      expect(error.field).toBe("secret_key");
      expect(error.message).toContain("access_key and secret_key go together");
    });

    it("refuses a secret without its access key, without printing the secret", () => {
      const error = assetError({ secret_key: SECRET_ACCESS_KEY, region_name: "us-east-1" });

      expect(error.field).toBe("access_key");
      expect(error.message).toContain("access_key and secret_key go together");
      expect(printedText(error)).not.toContain(SECRET_ACCESS_KEY);
    });

    it.each([
      ["a space", "wJalrXUtnFEMI/K7MDENG bPxRfiCYEXAMPLEKEY"],
      ["a trailing line break", `${SECRET_ACCESS_KEY}\n`],
      ["a tab", `${SECRET_ACCESS_KEY}\tx`],
      ["a non-ASCII letter", "wJalrXUtnFEMI/K7MDENGébPxRfiCYEXAMPLEKEY"],
    ])("refuses a secret key with %s, without printing it", (_label, secret) => {
      const error = assetError({ ...keysAsset, secret_key: secret });

      expect(error.field).toBe("secret_key");
      expect(error.message).toContain("must be printable ASCII without spaces or line breaks");
      expect(printedText(error)).not.toContain(secret.trim());
      expect(printedText(error)).not.toContain("bPxRfiCYEXAMPLEKEY");
    });

    it.each([
      ["a non-ASCII character", "IQoJb3JpZ2luX2VjEXAMPLE€TOKEN"],
      ["a control character", "IQoJb3JpZ2luX2VjEXAMPLE\u0007TOKEN"],
    ])(
      "refuses a session token with %s (it goes into an HTTP header), naming it",
      (_label, token) => {
        const error = assetError({
          ...keysAsset,
          access_key: "ASIAIOSFODNN7EXAMPLE",
          session_token: token,
        });

        expect(error.exitCode).toBe(2);
        expect(error.field).toBe("session_token");
        expect(printedText(error)).not.toContain("IQoJb3JpZ2luX2VjEXAMPLE");
      },
    );

    it("refuses a SOCKS proxy at an IPv6 literal, which the SOCKS agent cannot reach", () => {
      const error = assetError({ ...keysAsset, http_proxy: "socks5://[::1]:1080" });

      expect(error.field).toBe("http_proxy");
      expect(error.message).toContain("not an IPv6 literal");
    });

    it("refuses a secret key that is not a string, without printing it", () => {
      const error = assetError({ ...keysAsset, secret_key: 987654321234567 });

      expect(error.field).toBe("secret_key");
      expect(printedText(error)).not.toContain("987654321234567");
    });

    it("accepts temporary keys with their session token", () => {
      expect(parseAsset(temporaryKeysAsset).session_token).toBe(SESSION_TOKEN);
    });

    it("refuses a temporary key without a session token", () => {
      const { session_token: _token, ...withoutToken } = temporaryKeysAsset;

      const error = assetError(withoutToken);

      expect(error.field).toBe("session_token");
      expect(error.message).toContain("temporary key (ASIA…)");
      expect(printedText(error)).not.toContain(SECRET_ACCESS_KEY);
    });

    it("refuses a session token without keys, without printing it", () => {
      const error = assetError({ session_token: SESSION_TOKEN, region_name: "us-east-1" });

      expect(error.field).toBe("session_token");
      expect(error.message).toContain("only used with access_key and secret_key");
      expect(printedText(error)).not.toContain(SESSION_TOKEN);
    });

    it("refuses a session token with a line break, without printing it", () => {
      const token = `${SESSION_TOKEN}\r\nX-Injected: 1`;

      const error = assetError({ ...temporaryKeysAsset, session_token: token });

      expect(error.field).toBe("session_token");
      expect(printedText(error)).not.toContain(SESSION_TOKEN);
    });

    it("lists every problem but names the first field", () => {
      const error = assetError({
        access_key: TEMPORARY_ACCESS_KEY_ID,
        secret_key: SECRET_ACCESS_KEY,
        region_name: "mars-north-1",
      });

      expect(error.field).toBe("region_name");
      expect(error.message).toContain("region_name:");
      expect(error.message).toContain("session_token:");
      expect(printedText(error)).not.toContain(SECRET_ACCESS_KEY);
    });
  });

  describe("role_arn", () => {
    it.each([
      ["aws", "us-east-1", "arn:aws:iam::123456789012:role/TurbineLambdaInvoker"],
      ["aws with a path", "eu-west-1", "arn:aws:iam::123456789012:role/service-role/soc/Invoker"],
      ["aws-cn", "cn-north-1", "arn:aws-cn:iam::123456789012:role/Invoker"],
      ["aws-us-gov", "us-gov-west-1", "arn:aws-us-gov:iam::123456789012:role/Invoker"],
      ["aws-iso", "us-iso-east-1", "arn:aws-iso:iam::123456789012:role/Invoker"],
      ["aws-iso-b", "us-isob-east-1", "arn:aws-iso-b:iam::123456789012:role/Invoker"],
      ["aws-iso-f", "us-isof-south-1", "arn:aws-iso-f:iam::123456789012:role/Invoker"],
      ["aws-iso-e", "eu-isoe-west-1", "arn:aws-iso-e:iam::123456789012:role/Invoker"],
      ["aws-eusc", "eusc-de-east-1", "arn:aws-eusc:iam::123456789012:role/Invoker"],
      ["aws, name with +=,.@-_", "us-east-1", "arn:aws:iam::123456789012:role/a+b=c,d.e@f-g_h"],
    ])("accepts a role in %s", (_label, region, arn) => {
      expect(parseAsset({ region_name: region, role_arn: arn }).role_arn).toBe(arn);
    });

    it.each([
      ["a user instead of a role", "arn:aws:iam::123456789012:user/alice"],
      ["an 11-digit account", "arn:aws:iam::12345678901:role/Invoker"],
      ["an unknown partition", "arn:aws-mars:iam::123456789012:role/Invoker"],
      ["a region in the ARN", "arn:aws:iam:us-east-1:123456789012:role/Invoker"],
      ["no role name", "arn:aws:iam::123456789012:role/"],
      ["a role name over 64 characters", `arn:aws:iam::123456789012:role/${"r".repeat(65)}`],
      ["a space in the name", "arn:aws:iam::123456789012:role/Lambda Invoker"],
      ["only a role name", "TurbineLambdaInvoker"],
    ])("refuses %s", (_label, arn) => {
      const error = assetError({ region_name: "us-east-1", role_arn: arn });

      expect(error.field).toBe("role_arn");
      expect(error.message).toContain("role_arn: must be an IAM role ARN");
    });

    it("refuses an ARN over 2048 characters", () => {
      const arn = `arn:aws:iam::123456789012:role/${"p/".repeat(1010)}Invoker`;

      const error = assetError({ region_name: "us-east-1", role_arn: arn });

      expect(error.field).toBe("role_arn");
      expect(error.message).toContain("at most 2048 characters");
    });

    it.each([
      ["arn:aws-cn:iam::123456789012:role/Invoker", "us-east-1", "aws-cn", "aws"],
      ["arn:aws:iam::123456789012:role/Invoker", "us-gov-west-1", "aws", "aws-us-gov"],
      ["arn:aws-us-gov:iam::123456789012:role/Invoker", "cn-north-1", "aws-us-gov", "aws-cn"],
    ])("refuses %s with region %s (partition mismatch)", (arn, region, rolePart, regionPart) => {
      const error = assetError({ region_name: region, role_arn: arn });

      expect(error.field).toBe("role_arn");
      expect(error.message).toContain(
        `is in partition ${rolePart} but region_name is in partition ${regionPart}`,
      );
    });

    it.each(["external_id", "role_session_name"])("refuses %s without role_arn", (field) => {
      const value = field === "external_id" ? EXTERNAL_ID : "soc-playbooks";

      const error = assetError({ ...keysAsset, [field]: value });

      expect(error.field).toBe(field);
      expect(error.message).toContain("is only used with role_arn");
      expect(printedText(error)).not.toContain(EXTERNAL_ID);
    });
  });

  describe("role_session_name", () => {
    it.each(["ab", "swimlane-turbine", "a+b=c,d.e@f-g_h", "s".repeat(64)])("accepts %j", (name) => {
      expect(parseAsset({ ...roleAsset, role_session_name: name }).role_session_name).toBe(name);
    });

    it.each(["a", "s".repeat(65), "has space", "slash/not-allowed", "colon:no"])(
      "refuses %j",
      (name) => {
        const error = assetError({ ...roleAsset, role_session_name: name });

        expect(error.field).toBe("role_session_name");
        expect(error.message).toContain("must be 2 to 64 characters");
      },
    );
  });

  describe("external_id", () => {
    it.each(["ab", "tenant:42/soc=prod,eu@x.y-z_", "e".repeat(1224)])(
      "accepts an external ID of %#",
      (id) => {
        expect(parseAsset({ ...roleAsset, external_id: id }).external_id).toBe(id);
      },
    );

    it("refuses a one-character external ID", () => {
      const error = assetError({ ...roleAsset, external_id: "Z" });

      expect(error.field).toBe("external_id");
      expect(error.message).toContain("must be 2 to 1224 characters");
    });

    it.each([
      ["too long", `EXTID${"e".repeat(1220)}`],
      ["a space", "tenant 7f3a9c-secret"],
      ["a quote", 'tenant"7f3a9c-secret'],
      ["a line break", "tenant-7f3a9c-secret\n"],
    ])("refuses one with %s, without printing it", (_label, id) => {
      const error = assetError({ ...roleAsset, external_id: id });

      expect(error.field).toBe("external_id");
      expect(error.message).toContain("must be 2 to 1224 characters");
      expect(printedText(error)).not.toContain(id.trim());
    });
  });

  describe("session_duration", () => {
    it.each([900, 3600, 43200])("accepts %d", (seconds) => {
      expect(parseAsset({ ...roleAsset, session_duration: seconds }).session_duration).toBe(
        seconds,
      );
    });

    it.each([
      [899, "between 900 and 43200"],
      [43201, "between 900 and 43200"],
      [0, "between 900 and 43200"],
      [3600.5, "whole number of seconds"],
      ["3600", "whole number of seconds"],
    ])("refuses %j", (seconds, message) => {
      const error = assetError({ ...roleAsset, session_duration: seconds });

      expect(error.field).toBe("session_duration");
      expect(error.message).toContain(message);
    });
  });

  describe("http_proxy", () => {
    it("supports every scheme the proxy agents speak", () => {
      expect(PROXY_PROTOCOLS).toEqual(
        expect.arrayContaining(["http:", "https:", "socks4:", "socks5:"]),
      );
    });

    it.each([
      "http://proxy.example.com:3128",
      "https://proxy.example.com:443",
      "socks4://10.0.0.5:1080",
      "socks4a://proxy.example.com:1080",
      "socks5://proxy.example.com:1080",
      "socks5h://proxy.example.com",
      `http://${PROXY_USER}:${PROXY_PASSWORD}@proxy.example.com:3128`,
      `socks5://${PROXY_USER}:${PROXY_PASSWORD}@10.0.0.5:1080`,
      "http://[::1]:3128",
    ])("accepts %s", (url) => {
      expect(parseAsset({ ...keysAsset, http_proxy: url }).http_proxy).toBe(url);
    });

    it.each([
      ["an ftp URL", `ftp://${PROXY_USER}:${PROXY_PASSWORD}@proxy.example.com:21`],
      ["no scheme", `${PROXY_USER}:${PROXY_PASSWORD}@proxy.example.com:3128`],
      ["no host", `http://${PROXY_USER}:${PROXY_PASSWORD}@:3128`],
      ["a bad port", `http://${PROXY_USER}:${PROXY_PASSWORD}@proxy.example.com:99999`],
      ["a space", `http://${PROXY_USER}:${PROXY_PASSWORD}@proxy example.com:3128`],
      ["a file URL", "file:///etc/pr0xy-Passw0rd"],
    ])("refuses %s, without printing the password", (_label, url) => {
      const error = assetError({ ...keysAsset, http_proxy: url });

      expect(error.field).toBe("http_proxy");
      expect(error.message).toContain("must be a proxy URL with scheme http, https, socks4");
      expect(printedText(error)).not.toContain(PROXY_PASSWORD);
    });
  });

  describe("endpoint URLs", () => {
    it.each(["endpoint_url", "sts_endpoint_url"])("%s accepts http and https URLs", (field) => {
      const asset = parseAsset({
        ...keysAsset,
        [field]: "https://vpce-0123-abcd.lambda.us-east-1.vpce.amazonaws.com",
      });
      const local = parseAsset({ ...keysAsset, [field]: "http://127.0.0.1:4566" });

      expect(asset[field as "endpoint_url"]).toBe(
        "https://vpce-0123-abcd.lambda.us-east-1.vpce.amazonaws.com",
      );
      expect(local[field as "endpoint_url"]).toBe("http://127.0.0.1:4566");
    });

    it.each([
      ["endpoint_url", "lambda.us-east-1.amazonaws.com"],
      ["endpoint_url", "ftp://lambda.us-east-1.amazonaws.com"],
      ["sts_endpoint_url", "https://"],
      ["sts_endpoint_url", "socks5://127.0.0.1:1080"],
    ])("%s refuses %s", (field, url) => {
      const error = assetError({ ...keysAsset, [field]: url });

      expect(error.field).toBe(field);
      expect(error.message).toContain(`${field}: must be an http:// or https:// URL`);
    });
  });

  describe("verify_ssl", () => {
    it("refuses a string, naming the field", () => {
      const error = assetError({ ...keysAsset, verify_ssl: "false" });

      expect(error.field).toBe("verify_ssl");
      expect(error.message).toContain("verify_ssl: must be true or false");
    });
  });

  describe("unknown fields", () => {
    it("names a misspelt field and keeps its value out of the message", () => {
      const error = assetError({ ...keysAsset, secret_access_key: "misplaced-Secret-Value-123" });

      expect(error.field).toBe("secret_access_key");
      expect(error.message).toContain('unknown field "secret_access_key"');
      expect(error.message).toContain("check the spelling");
      expect(printedText(error)).not.toContain("misplaced-Secret-Value-123");
      expect(printedText(error)).not.toContain(SECRET_ACCESS_KEY);
    });

    it("lists every unknown field", () => {
      const error = assetError({ ...keysAsset, region: "us-east-1", proxy: "http://p:3128" });

      expect(error.message).toContain('"region"');
      expect(error.message).toContain('"proxy"');
    });
  });

  describe("error shape", () => {
    it("tells the user to edit the asset and keeps the zod error as cause", () => {
      const error = assetError({ region_name: 42 });

      expect(error.hint).toContain("Edit the asset in Turbine");
      expect(error.message).toMatch(/^Invalid asset: region_name: must be a string/);
      expect(error.cause).toBeInstanceOf(Error);
      expect(error.toErrorLine()).toEqual({
        code: "invalid_asset",
        message: error.message,
        hint: error.hint,
        field: "region_name",
      });
    });

    it("refuses a document that is not an object", () => {
      const error = thrownConnectorError(() => parseDocument(assetSchema, "us-east-1", "asset"));

      expect(error.code).toBe("invalid_asset");
      expect(error.field).toBeUndefined();
    });
  });
});

describe("asset schema, edge cases found in review", () => {
  it("refuses a proxy password that is not valid percent-encoding, without printing it", () => {
    const error = assetError({ ...keysAsset, http_proxy: "http://alice:%zzsecret@proxy:3128" });

    expect(error.field).toBe("http_proxy");
    expect(printedText(error)).not.toContain("%zzsecret");
  });

  it.each([
    "arn:aws:iam::123456789012:role//TurbineLambdaInvoker",
    "arn:aws:iam::123456789012:role/path//TurbineLambdaInvoker",
  ])("refuses a role ARN with an empty path segment: %s", (roleArn) => {
    expect(assetError({ ...roleAsset, role_arn: roleArn }).field).toBe("role_arn");
  });

  it("accepts a role ARN with a path", () => {
    const roleArn = "arn:aws:iam::123456789012:role/service-roles/soc/TurbineLambdaInvoker";

    expect(parseAsset({ ...roleAsset, role_arn: roleArn }).role_arn).toBe(roleArn);
  });
});
