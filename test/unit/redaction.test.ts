import { describe, expect, it } from "vitest";
import { ASSET_FIELD_NAMES, secretAssetKeys } from "../../src/asset/schema.js";
import {
  basicCredentials,
  environmentValuesIn,
  MASK,
  maskSecrets,
  redactUrl,
  secretSourcesOf,
  secretsIn,
  urlPasswords,
} from "../../src/redaction.js";
import {
  EXTERNAL_ID,
  PROXY_PASSWORD,
  PROXY_URL,
  PROXY_USER,
  proxyAsset,
  REGION,
  roleAsset,
  SECRET_ACCESS_KEY,
  SESSION_TOKEN,
  temporaryKeysAsset,
} from "../fixtures.js";

const NO_ENV = {};

describe("redactUrl", () => {
  it.each([
    [PROXY_URL, "http://turbine:***@proxy.example.com:3128"],
    ["socks5://u:p%40ss@10.0.0.5:1080", "socks5://u:***@10.0.0.5:1080"],
    ["http://proxy.example.com:3128", "http://proxy.example.com:3128"],
    ["http://only-user@proxy.example.com:3128/", "http://only-user@proxy.example.com:3128"],
    ["not a url", "(unparseable URL)"],
  ])("prints %s as %s", (url, printed) => {
    expect(redactUrl(url)).toBe(printed);
  });
});

describe("urlPasswords", () => {
  it.each([
    ["a plain password", PROXY_URL, [PROXY_PASSWORD, PROXY_PASSWORD]],
    [
      "a percent-encoded password, in both forms",
      "http://bob:p%40ss@proxy:3128",
      ["p%40ss", "p@ss"],
    ],
    [
      "a password that is not valid percent-encoding, as written",
      "http://bob:p%zz@proxy:3128",
      ["p%zz"],
    ],
    ["a URL without password", "http://bob@proxy.example.com:3128", []],
    ["a URL without user", "http://proxy.example.com:3128", []],
    ["text that is not a URL", "not a url", []],
    ["a value that is not a string", 3128, []],
    ["undefined", undefined, []],
  ])("gives %s", (_label, url, passwords) => {
    expect(urlPasswords(url)).toEqual(passwords);
  });
});

describe("maskSecrets", () => {
  const quoted = 'pa"ss\\w0rd';

  it.each([
    ["as given", `bad key ${SECRET_ACCESS_KEY} in request`, SECRET_ACCESS_KEY],
    [
      "percent-encoded, inside a URL",
      `GET /?key=${encodeURIComponent(SECRET_ACCESS_KEY)} failed`,
      SECRET_ACCESS_KEY,
    ],
    ["JSON-escaped, inside a quoted JSON string", `body ${JSON.stringify({ quoted })}`, quoted],
    ["as given, with JSON's special characters", `value ${quoted} refused`, quoted],
  ])("masks a secret %s", (_form, text, secret) => {
    // Act
    const masked = maskSecrets(text, [secret]);

    // Assess
    expect(masked).toContain(MASK);
    expect(masked).not.toContain(secret);
    expect(masked).not.toContain(encodeURIComponent(secret));
    expect(masked).not.toContain(JSON.stringify(secret).slice(1, -1));
  });

  it("masks every occurrence and leaves the text around it", () => {
    const masked = maskSecrets(`${SECRET_ACCESS_KEY} and again ${SECRET_ACCESS_KEY}.`, [
      SECRET_ACCESS_KEY,
    ]);

    expect(masked).toBe("*** and again ***.");
  });

  it.each([
    [
      "an http proxy",
      "connect ECONNREFUSED through http://alice:s3cret-pw@proxy.corp:3128 (proxy)",
      "connect ECONNREFUSED through http://alice:***@proxy.corp:3128 (proxy)",
    ],
    [
      "a socks proxy",
      "socks5://bob:hunter22@10.0.0.5:1080 refused",
      "socks5://bob:***@10.0.0.5:1080 refused",
    ],
    [
      "two URLs",
      "http://a:one1@p1:1 then https://b:two2@p2:2/path",
      "http://a:***@p1:1 then https://b:***@p2:2/path",
    ],
  ])("masks the password of %s in any text, without being told it", (_label, text, masked) => {
    expect(maskSecrets(text, [])).toBe(masked);
  });

  it.each([
    "http://proxy.example.com:3128",
    "http://only-user@proxy.example.com:3128",
    "see https://docs.aws.amazon.com/lambda/latest/dg/invocation-retries.html",
  ])("leaves %s, which has no password, as it is", (text) => {
    expect(maskSecrets(text, [])).toBe(text);
  });

  it("masks a secret that contains another one whole (longest first)", () => {
    // Prepare
    const short = "EXAMPLEKEY";
    const long = `wJalr${short}/tail`;

    // Act
    const masked = maskSecrets(`secret ${long} here`, [short, long]);

    // Assess
    expect(masked).toBe("secret *** here");
  });

  it("leaves secrets shorter than 4 characters alone rather than garble the text", () => {
    expect(maskSecrets("a bad key", ["a", "ab", "bad"])).toBe("a bad key");
  });
});

describe("secretsIn", () => {
  const keys = secretAssetKeys();

  it("takes the schema's password fields as the secret keys", () => {
    expect([...keys].sort()).toEqual(["external_id", "http_proxy", "secret_key", "session_token"]);
  });

  it.each([
    [
      "a flat document (asset and inputs side by side)",
      { ...temporaryKeysAsset, payload: { n: 1 } },
    ],
    ["an explicit document", { asset: temporaryKeysAsset, inputs: { payload: { n: 1 } } }],
  ])("finds the asset's secrets in %s", (_shape, document) => {
    // Act
    const secrets = secretsIn(document, keys, NO_ENV);

    // Assess
    expect(secrets).toEqual(expect.arrayContaining([SECRET_ACCESS_KEY, SESSION_TOKEN]));
    expect(secrets).not.toContain(REGION);
  });

  it("finds the external ID of a role asset", () => {
    expect(secretsIn(roleAsset, keys, NO_ENV)).toContain(EXTERNAL_ID);
  });

  it("takes only the password of the proxy URL, so its host stays readable", () => {
    const secrets = secretsIn(proxyAsset, keys, NO_ENV);

    expect(secrets).toContain(PROXY_PASSWORD);
    expect(secrets).not.toContain(PROXY_URL);
  });

  it("does not treat a password-less proxy URL as a secret", () => {
    // Prepare
    const proxy = "http://proxy.example.com:3128";
    const document = { asset: { region_name: REGION, http_proxy: proxy } };

    // Act
    const secrets = secretsIn(document, keys, NO_ENV);

    // Assess
    expect(secrets).toEqual([]);
    expect(maskSecrets(`could not reach ${proxy}`, secrets)).toBe(`could not reach ${proxy}`);
  });

  it.each(["HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "https_proxy", "http_proxy", "all_proxy"])(
    "takes the proxy password from %s",
    (variable) => {
      const env = { [variable]: "http://envuser:env-Pr0xy-pw@env-proxy.example.com:8080" };

      expect(secretsIn({}, keys, env)).toContain("env-Pr0xy-pw");
    },
  );

  it("takes nothing from a proxy variable without password", () => {
    expect(secretsIn({}, keys, { HTTPS_PROXY: "http://env-proxy.example.com:8080" })).toEqual([]);
  });

  it.each([
    ["not an object", "secret_key=abc"],
    ["null", null],
  ])("gives only the environment's secrets for a document that is %s", (_label, document) => {
    const env = { HTTPS_PROXY: "http://envuser:env-Pr0xy-pw@env-proxy.example.com:8080" };

    expect(secretsIn(document, keys, env)).toEqual([
      "env-Pr0xy-pw",
      "env-Pr0xy-pw",
      "envuser:env-Pr0xy-pw",
    ]);
  });

  it("finds secrets in a document that does not validate", () => {
    const document = { asset: { secret_key: SECRET_ACCESS_KEY, region_name: 42, bogus: true } };

    expect(secretsIn(document, keys, NO_ENV)).toEqual([SECRET_ACCESS_KEY]);
  });

  it("ignores secret fields whose value is not a string", () => {
    expect(secretsIn({ secret_key: 12345678, session_token: null }, keys, NO_ENV)).toEqual([]);
  });
});

describe("maskSecrets with a secret that is not well-formed UTF-16", () => {
  it("masks a secret holding a lone surrogate instead of throwing", () => {
    const secret = "abc\ud800defSECRET";

    expect(maskSecrets(`leaked ${secret} here`, [secret])).toBe("leaked *** here");
  });
});

describe("maskSecrets in base64", () => {
  it("masks the proxy's Basic credentials that an echoed Proxy-Authorization shows", () => {
    // Prepare
    const secrets = secretsIn(proxyAsset, secretAssetKeys(), NO_ENV);
    const header = `Basic ${Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString("base64")}`;

    // Act
    const masked = maskSecrets(`you sent Proxy-Authorization: ${header}`, secrets);

    // Assess
    expect(masked).toBe("you sent Proxy-Authorization: Basic ***");
  });

  it.each([0, 1, 2, 3, 4, 5])(
    "masks a secret base64-encoded inside longer data, %i bytes in",
    (offset) => {
      // Prepare: the secret in the middle of a blob, as in a base64 log tail.
      const blob = Buffer.concat([
        Buffer.from("x".repeat(offset)),
        Buffer.from(SESSION_TOKEN),
        Buffer.from(" END"),
      ]).toString("base64");

      // Act
      const masked = maskSecrets(`LogResult ${blob}`, [SESSION_TOKEN]);

      // Assess: what is left cannot give the token back.
      expect(masked).toContain(MASK);
      const left = Buffer.from(masked.replace("LogResult ", "").replace(MASK, ""), "base64");
      expect(left.toString("latin1")).not.toContain(SESSION_TOKEN.slice(2, -2));
    },
  );
});

describe("maskSecrets on long text", () => {
  const MB = 1024 * 1024;

  it.each([
    ["a run of letters", "a"],
    ["a run of scheme characters", "a+b.c-"],
    ["URL-like fragments", "x://u:"],
  ])("masks 6 MB of %s in one pass (a quadratic pattern took hours)", (_label, unit) => {
    // Prepare: 6 MB, Lambda's largest function error, with a URL password at the end.
    const text = `${unit.repeat(Math.ceil((6 * MB) / unit.length))} http://u:${PROXY_PASSWORD}@p:1`;

    // Act: the whole text, without clipping; vitest's 5 s test timeout is the bound.
    const masked = maskSecrets(text, [SECRET_ACCESS_KEY]);

    // Assess
    expect(masked.endsWith("http://u:***@p:1")).toBe(true);
  });

  it("clips before masking, and says how much was cut", () => {
    // Prepare
    const text = `${SECRET_ACCESS_KEY} ${"b".repeat(6 * MB)}`;

    // Act
    const masked = maskSecrets(text, [SECRET_ACCESS_KEY], 4000);

    // Assess
    expect(masked.startsWith("*** bbb")).toBe(true);
    expect(masked.endsWith(`… (${text.length - 4000} more characters)`)).toBe(true);
  });

  it("never cuts inside a secret, so no part of it shows", () => {
    // Prepare: the secret straddles the clip point.
    const text = `${"a".repeat(3990)}${SECRET_ACCESS_KEY}${"z".repeat(100)}`;

    // Act
    const masked = maskSecrets(text, [SECRET_ACCESS_KEY], 4000);

    // Assess
    expect(masked).toBe(`${"a".repeat(3990)}… (${text.length - 3990} more characters)`);
  });

  it("masks a URL password that the clip cut before its @", () => {
    // Prepare
    const text = `${"a ".repeat(1990)}http://u:hunter2-hunter2@host ${"z".repeat(100)}`;

    // Act
    const masked = maskSecrets(text, [], 4000);

    // Assess
    expect(masked).not.toContain("hunter");
    expect(masked).toContain("http://u:***…");
  });
});

describe("the edges each guard of redaction draws", () => {
  it("reads passwords only from URL strings, not from URL objects or other values", () => {
    const url = new URL("http://bob:hunter22@proxy:3128");
    expect(urlPasswords(url)).toEqual([]);
    expect(basicCredentials(url)).toEqual([]);
    expect(basicCredentials(3128)).toEqual([]);
  });

  it("keeps Basic credentials as written when their percent-encoding is broken", () => {
    expect(basicCredentials("http://bob:p%E0%A4%A@proxy:3128")).toEqual(["bob:p%E0%A4%A"]);
    expect(basicCredentials("http://bob:p%40ss@proxy:3128")).toEqual(["bob:p@ss"]);
  });

  it("masks a secret inside a JSON string, where its quote and backslash are escaped", () => {
    const secret = 'ab"cd\\efgh';
    const text = JSON.stringify({ message: `refused ${secret} here` });
    expect(maskSecrets(text, [secret])).toBe('{"message":"refused *** here"}');
  });

  it("masks a secret of exactly the shortest length searched for, and none shorter", () => {
    expect(maskSecrets("key abcd here", ["abcd"])).toBe("key *** here");
    expect(maskSecrets("key abc here", ["abc"])).toBe("key abc here");
  });

  it("masks the first groups of a secret's base64 at the start of longer base64 data", () => {
    const secret = "s3cret!"; // 7 bytes: its whole groups are the first 8 characters
    const data = Buffer.concat([Buffer.from(secret), Buffer.from("-and-more-bytes")]);
    const masked = maskSecrets(data.toString("base64"), [secret]);
    expect(masked.startsWith(MASK)).toBe(true);
    expect(masked).not.toContain(data.toString("base64").slice(0, 4));
  });

  it("leaves text alone that holds only a short partial base64 of a secret", () => {
    // At byte offset 2, "abcd" owns one group of four characters: too short to mask.
    const partial = Buffer.concat([Buffer.alloc(2), Buffer.from("abcd")])
      .toString("base64")
      .slice(4, 8);
    expect(maskSecrets(`id ${partial} ok`, ["abcd"])).toBe(`id ${partial} ok`);
  });

  it.each([0, 1, 2, 5, 9, 10, 11])(
    "never leaves part of a secret showing when the cut falls %i characters into it",
    (into) => {
      const secret = "SECRETVALUE";
      const text = `${"x".repeat(10)}${secret}${"y".repeat(10)}`;
      const printed = maskSecrets(text, [secret], 10 + into);
      const kept = into === 11 ? `${"x".repeat(10)}***` : "x".repeat(10);
      expect(printed).toBe(
        `${kept}… (${text.length - 10 - (into === 11 ? 11 : 0)} more characters)`,
      );
    },
  );

  it("moves the cut again when moving it before one secret splits another", () => {
    // The longer secret is checked first, before the cut moves into it.
    const text = `zzWXYZabcdefgh${"z".repeat(10)}`;
    const printed = maskSecrets(text, ["WXYZabcd", "cdefgh"], 12);
    expect(printed).toBe(`zz… (${text.length - 2} more characters)`);
  });

  it("masks the password of a URL whatever its scheme looks like, at the start of the text too", () => {
    expect(maskSecrets("ftp://u:pw12@host", [])).toBe("ftp://u:***@host");
    expect(maskSecrets("see h://u:pw12@host", [])).toBe("see h://u:***@host");
    expect(maskSecrets("see socks5://u:pw12@host", [])).toBe("see socks5://u:***@host");
  });

  it.each([
    ["http://alice:", "http://alice:***"],
    ["via socks5://alice:", "via socks5://alice:***"],
    ["via h://al:", "via h://al:***"],
  ])("masks a password cut off with its @ (%s…)", (start, masked) => {
    const printed = maskSecrets(`${start}${"p".repeat(5000)}@host`, [], 100);
    expect(printed.startsWith(`${masked}… (`)).toBe(true);
  });

  it("leaves a port alone in clipped text: only a URL at the very end of the cut is masked", () => {
    const printed = maskSecrets(`go http://host:8080 and ${"x".repeat(5000)}`, [], 100);
    expect(printed.startsWith("go http://host:8080 and x")).toBe(true);
  });

  it("finds no secrets in a document that is null, or whose asset is null", () => {
    expect(secretsIn(null, ["secret_key"], NO_ENV)).toEqual([]);
    expect(secretsIn({ asset: null, secret_key: "wJalrXUtnFEMI" }, ["secret_key"], NO_ENV)).toEqual(
      ["wJalrXUtnFEMI"],
    );
  });

  it.each([
    ["ab:cdefgh", ["ab:cdefgh"]],
    ["http://[not-a-host", ["http://[not-a-host"]],
    ["xhttp://u:pass@h", ["xhttp://u:pass@h"]],
    ["socks://u:pass@h", ["pass", "pass", "u:pass"]],
    ["socks5://u:pass@h", ["pass", "pass", "u:pass"]],
    ["socks5h://u:pass@h", ["pass", "pass", "u:pass"]],
  ])("masks the secret field %s as %j", (value, parts) => {
    expect(secretsIn({ asset: { proxy_url: value } }, ["proxy_url"], NO_ENV)).toEqual(parts);
  });
});

describe("secretSourcesOf", () => {
  const payload = { records: Array.from({ length: 50 }, (_, i) => ({ id: i })) };
  const environment = { API_TOKEN: "ghp_0123456789abcdefTOKEN", MODE: "live" };

  it.each([
    ["flat", { ...proxyAsset, ...roleAsset, payload, environment }],
    [
      "explicit",
      { asset: { ...proxyAsset, ...roleAsset }, inputs: { payload, environment_set: environment } },
    ],
    ["flat, the payload a string", { ...roleAsset, payload: JSON.stringify(payload) }],
  ])(
    "keeps what secretsIn and environmentValuesIn find the same secrets in (%s)",
    (_form, document) => {
      const kept = secretSourcesOf(document, ASSET_FIELD_NAMES);
      const env = { HTTPS_PROXY: PROXY_URL };

      expect(secretsIn(kept, secretAssetKeys(), env)).toEqual(
        secretsIn(document, secretAssetKeys(), env),
      );
      expect(environmentValuesIn(kept)).toEqual(environmentValuesIn(document));
      expect(secretsIn(kept, secretAssetKeys(), NO_ENV).length).toBeGreaterThan(0);
    },
  );

  it("keeps none of the payload", () => {
    const kept = secretSourcesOf({ ...roleAsset, payload, inputs: { payload } }, ASSET_FIELD_NAMES);

    expect(JSON.stringify(kept)).not.toContain("records");
  });

  it("keeps nothing of a document that is not an object", () => {
    expect(secretSourcesOf("text", ASSET_FIELD_NAMES)).toBeUndefined();
    expect(secretSourcesOf(null, ASSET_FIELD_NAMES)).toBeUndefined();
  });
});
