/**
 * Assets for property tests, valid and hostile, each with the secrets it holds. Every
 * asset that could pass validation points at 127.0.0.1 only: its endpoints at the local
 * stand-in for AWS, its proxy (if any) at a local port. Hostile values of the endpoint
 * and proxy fields are only ever invalid or local, never blank (a blank endpoint would
 * fall back to real AWS).
 */
import fc from "fast-check";
import { PARTITIONS } from "../../src/asset/partitions.js";
import { type HostileSizes, hostileValue, nastyText, unknownKeyChange } from "./hostileValues.js";
import type { NamedSecret } from "./secretScan.js";

/** Where a generated asset may send its calls. */
export interface LocalTargets {
  /** The stand-in for AWS, `http://127.0.0.1:port`; also serves as an HTTP proxy. */
  endpointUrl: string;
  endpointPort: number;
  /** A port on 127.0.0.1 nothing listens on. */
  closedPort: number;
}

/** An asset and the secret values it holds, by field. */
export interface GeneratedAsset {
  fields: Record<string, unknown>;
  secrets: NamedSecret[];
}

const ACCOUNT = "123456789012";
const UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".split("");
const PRINTABLE = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i));
const EXTERNAL_ID_CHARACTERS = [
  ..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_".split(""),
  ..."+=,.@:/-".split(""),
];

const textOf = (characters: string[], minLength: number, maxLength: number) =>
  fc.array(fc.constantFrom(...characters), { minLength, maxLength }).map((parts) => parts.join(""));

/** A secret access key: printable ASCII, `"`, `\`, `%` and `/` included. */
export const secretKeyText = textOf(PRINTABLE, 16, 64);
/** A session token: printable ASCII, often long. */
export const sessionTokenText = textOf(PRINTABLE, 16, 400);
/** An ExternalId as STS allows it. */
export const externalIdText = textOf(EXTERNAL_ID_CHARACTERS, 8, 64);
/** A proxy password, before percent-encoding: printable ASCII and a little beyond. */
export const proxyPasswordText = textOf([...PRINTABLE, "é", "ü", " "], 8, 32);

const accessKeyId = (prefix: "AKIA" | "ASIA") =>
  textOf(UPPER_DIGITS, 16, 16).map((rest) => `${prefix}${rest}`);

/** Regions of every partition, with the partition their role ARN must name. */
const REGIONS = PARTITIONS.flatMap((partition) =>
  partition.id === "aws"
    ? ["us-east-1", "eu-west-1", "ap-southeast-2", "sa-east-1", "il-central-1"].map((region) => ({
        region,
        partition: partition.id,
      }))
    : [{ region: partition.exampleRegion, partition: partition.id }],
);

type Credentials =
  | { kind: "keys"; access_key: string; secret_key: string }
  | { kind: "temporary"; access_key: string; secret_key: string; session_token: string }
  | { kind: "chain" };

const credentials: fc.Arbitrary<Credentials> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("keys" as const),
      access_key: accessKeyId("AKIA"),
      secret_key: secretKeyText,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("temporary" as const),
      access_key: accessKeyId("ASIA"),
      secret_key: secretKeyText,
      session_token: sessionTokenText,
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "chain" as const }) },
);

/** A proxy on 127.0.0.1: the stand-in itself (a working HTTP proxy), or schemes and ports that fail fast. */
function localProxy(targets: LocalTargets): fc.Arbitrary<{ url: string; password: string }> {
  return fc
    .tuple(
      fc.oneof(
        { weight: 6, arbitrary: fc.constant(`http:@${targets.endpointPort}`) },
        { weight: 1, arbitrary: fc.constant(`https:@${targets.endpointPort}`) },
        { weight: 1, arbitrary: fc.constant(`socks5:@${targets.endpointPort}`) },
        { weight: 1, arbitrary: fc.constant(`http:@${targets.closedPort}`) },
      ),
      proxyPasswordText,
    )
    .map(([target, password]) => {
      const [scheme, port] = target.split(":@");
      return {
        url: `${scheme}://turbine:${encodeURIComponent(password)}@127.0.0.1:${port}`,
        password,
      };
    });
}

/**
 * Assets that pass validation: keys (long-term or temporary) or the machine's chain, a
 * region of any partition, sometimes a role (with external ID, session name and
 * duration), sometimes a local proxy, always the local endpoints.
 */
export function validAsset(targets: LocalTargets): fc.Arbitrary<GeneratedAsset> {
  return fc
    .record({
      credentials,
      place: fc.constantFrom(...REGIONS),
      role: fc.option(
        fc.record(
          {
            name: fc.stringMatching(/^[\w+=,.@-]{1,64}$/),
            external_id: externalIdText,
            role_session_name: fc.stringMatching(/^[\w+=,.@-]{2,64}$/),
            session_duration: fc.integer({ min: 900, max: 43_200 }),
          },
          { requiredKeys: ["name"] },
        ),
        { freq: 2 },
      ),
      proxy: fc.option(localProxy(targets), { freq: 3 }),
      verify_ssl: fc.option(fc.boolean(), { freq: 2 }),
    })
    .map(({ credentials: keys, place, role, proxy, verify_ssl }) => {
      const fields: Record<string, unknown> = {
        region_name: place.region,
        endpoint_url: targets.endpointUrl,
        sts_endpoint_url: targets.endpointUrl,
        iam_endpoint_url: targets.endpointUrl,
      };
      const secrets: NamedSecret[] = [];
      if (keys.kind !== "chain") {
        fields.access_key = keys.access_key;
        fields.secret_key = keys.secret_key;
        secrets.push({ name: "secret_key", value: keys.secret_key });
      }
      if (keys.kind === "temporary") {
        fields.session_token = keys.session_token;
        secrets.push({ name: "session_token", value: keys.session_token });
      }
      if (role !== null) {
        fields.role_arn = `arn:${place.partition}:iam::${ACCOUNT}:role/${role.name}`;
        for (const key of ["external_id", "role_session_name", "session_duration"] as const) {
          if (role[key] !== undefined) {
            fields[key] = role[key];
          }
        }
        if (role.external_id !== undefined) {
          secrets.push({ name: "external_id", value: role.external_id });
        }
      }
      if (proxy !== null) {
        fields.http_proxy = proxy.url;
        secrets.push({ name: "proxy password", value: proxy.password });
        secrets.push({
          name: "proxy password (encoded)",
          value: encodeURIComponent(proxy.password),
        });
      }
      if (verify_ssl !== null) {
        fields.verify_ssl = verify_ssl;
      }
      return { fields, secrets };
    });
}

/** The asset's fields that decide where calls go: hostile values for them must stay local. */
const NETWORK_FIELDS = new Set([
  "endpoint_url",
  "sts_endpoint_url",
  "iam_endpoint_url",
  "http_proxy",
]);

/** Fields whose value is a secret: a hostile string put there is a secret too. */
const SECRET_FIELDS = new Set(["secret_key", "session_token", "external_id"]);

/** Invalid values for the endpoint fields: wrong types and strings that are no http(s) URL. */
const hostileEndpoint: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    "127.0.0.1",
    "ftp://127.0.0.1/",
    "http://",
    "http//127.0.0.1",
    "not a url",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "http://[::1",
    42,
    true,
    ["http://127.0.0.1"],
    { url: "http://127.0.0.1" },
  ),
  nastyText.map((text) => `::${text}`),
);

/** Invalid or local proxies, each with a password to look for. */
function hostileProxy(targets: LocalTargets): fc.Arbitrary<{ value: unknown; password?: string }> {
  return fc.oneof(
    fc.constantFrom<{ value: unknown }>(
      { value: "proxy.example.com:3128" },
      { value: "ftp://127.0.0.1:21" },
      { value: 3128 },
      { value: { host: "127.0.0.1" } },
      { value: "" },
      { value: null },
    ),
    proxyPasswordText.map((password) => ({
      value: `socks5://turbine:${encodeURIComponent(password)}@[::1]:${targets.closedPort}`,
      password,
    })),
    proxyPasswordText.map((password) => ({
      // Not valid percent-encoding: refused at validation, never decoded.
      value: `http://turbine:${encodeURIComponent(password)}%ZZ@127.0.0.1:${targets.closedPort}`,
      password: `${encodeURIComponent(password)}%ZZ`,
    })),
    proxyPasswordText.map((password) => ({
      value: `http://turbine:${encodeURIComponent(password)}@127.0.0.1:${targets.closedPort}/\u0000`,
      password,
    })),
  );
}

/** One change that makes an asset hostile. */
type AssetChange =
  | { kind: "replace"; field: string; value: unknown }
  | { kind: "proxy"; value: unknown; password?: string | undefined }
  | {
      kind: "endpoint";
      field: "endpoint_url" | "sts_endpoint_url" | "iam_endpoint_url";
      value: unknown;
    }
  | { kind: "delete"; field: string }
  | { kind: "unknown"; key: string; value: unknown };

/** The asset's fields other than where calls go, any of which a hostile change may hit. */
const CHANGEABLE_FIELDS = [
  "access_key",
  "secret_key",
  "session_token",
  "region_name",
  "role_arn",
  "external_id",
  "role_session_name",
  "session_duration",
  "verify_ssl",
];

/**
 * Valid assets with one to three hostile changes: a field replaced by a hostile value, a
 * field removed, an unknown key added, or an endpoint or proxy made invalid.
 */
export function hostileAsset(
  targets: LocalTargets,
  sizes: HostileSizes,
): fc.Arbitrary<GeneratedAsset> {
  const change: fc.Arbitrary<AssetChange> = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant("replace" as const),
        field: fc.constantFrom(...CHANGEABLE_FIELDS),
        value: hostileValue(sizes),
      }),
    },
    {
      weight: 2,
      arbitrary: hostileProxy(targets).map(({ value, password }) => ({
        kind: "proxy" as const,
        value,
        password,
      })),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("endpoint" as const),
        field: fc.constantFrom(
          "endpoint_url" as const,
          "sts_endpoint_url" as const,
          "iam_endpoint_url" as const,
        ),
        value: hostileEndpoint,
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("delete" as const),
        field: fc.constantFrom(...CHANGEABLE_FIELDS),
      }),
    },
    unknownKeyChange(sizes),
  );
  return fc
    .tuple(validAsset(targets), fc.array(change, { minLength: 1, maxLength: 3 }))
    .map(([asset, changes]) => {
      const fields = { ...asset.fields };
      const secrets = [...asset.secrets];
      for (const step of changes) {
        applyChange(fields, secrets, step);
      }
      return { fields, secrets };
    });
}

function applyChange(
  fields: Record<string, unknown>,
  secrets: NamedSecret[],
  step: AssetChange,
): void {
  switch (step.kind) {
    case "replace":
      fields[step.field] = step.value;
      if (SECRET_FIELDS.has(step.field) && isDistinctive(step.value)) {
        secrets.push({ name: `${step.field} (hostile)`, value: step.value });
      }
      return;
    case "proxy":
      fields.http_proxy = step.value;
      if (step.password !== undefined) {
        secrets.push({ name: "proxy password (hostile)", value: step.password });
      }
      return;
    case "endpoint":
      fields[step.field] = step.value;
      return;
    case "delete":
      delete fields[step.field];
      return;
    case "unknown":
      // An unknown key never overrides where calls go.
      if (!NETWORK_FIELDS.has(step.key)) {
        Object.defineProperty(fields, step.key, {
          value: step.value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return;
  }
}

/** A hostile string long and varied enough that finding it in output cannot be chance. */
function isDistinctive(value: unknown): value is string {
  return typeof value === "string" && value.length >= 12 && new Set(value).size >= 4;
}
