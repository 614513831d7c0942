/**
 * Records one run of every action against a fresh local AWS endpoint and writes it to
 * docs/examples/<action>.json as `{ "inputs": …, "output": … }`, which
 * `npm run manifests` puts into the manifests and the README's action reference:
 *
 *   node --import tsx scripts/capture-examples.ts
 *
 * The runs follow the incident on the demo's `public-webhook` where they fit (inspect,
 * assess, contain, lift the containment), then provision. Each runs in-process through
 * the same path as `node dist/main.js <action>`. What changes from one capture to the
 * next is replaced, so that capturing again gives the same files: request and revision
 * IDs become fixed UUIDs, timestamps of the capture a fixed date, the durations and
 * memory of the invocation log fixed figures, and the endpoint's URL a fixed one.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import {
  DEMO_EXECUTION_ROLE,
  DEMO_LAYER,
  defaultWorld,
  demoAsset,
  demoResponderAsset,
  PUBLIC_WEBHOOK,
} from "../local-aws/defaultWorld.js";
import { startLocalAws } from "../local-aws/LocalAws.js";
import { ACTION_NAMES } from "../src/actions/actionList.js";
import { runConnector } from "../src/runConnector.js";
import { OUTPUT_PREFIX } from "../src/turbine/contract.js";

const root = resolve(import.meta.dirname, "..");
const examplesDir = resolve(root, "docs", "examples");

type Json = Record<string, unknown>;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const TIMESTAMP = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})/g;
/** What the capture's own timestamps become (the seeded 2025 dates of the demo world stay). */
const FIXED_DATE = "2026-03-01T12:00:00.000";
const DAY_MS = 24 * 60 * 60 * 1000;

/** One recorded run: whose asset, and its inputs (computed from the earlier outputs when needed). */
interface Step {
  action: string;
  as: "invoker" | "responder";
  inputs: Json | ((outputs: ReadonlyMap<string, Json>) => Json);
}

/** The deployment package the provisioning examples upload: `app.py` with a `handler`. */
const HANDLER_ZIP = storedZip(
  "app.py",
  'def handler(event, context):\n    return {"triaged": event.get("indicator")}\n',
);
const FILE_ID = "6630f1c2a9e4b7d8";
const FILE_TOKEN = "capture-examples";

const webhook = { function_name: PUBLIC_WEBHOOK.name };

const STEPS: Step[] = [
  { action: "test_connection", as: "invoker", inputs: { function_name: "enrich-indicator" } },
  {
    action: "invoke_function",
    as: "invoker",
    inputs: {
      function_name: "enrich-indicator",
      payload: { indicator: "198.51.100.7" },
      include_logs: true,
    },
  },
  // The responder's first question after an alert: what changed since then, newest first.
  {
    action: "list_functions",
    as: "invoker",
    inputs: { name_contains: "webhook", modified_since: "2025-01-01T00:00:00Z" },
  },
  { action: "get_function", as: "invoker", inputs: webhook },
  { action: "get_policy", as: "invoker", inputs: webhook },
  { action: "get_function_url_config", as: "invoker", inputs: webhook },
  { action: "list_event_source_mappings", as: "invoker", inputs: webhook },
  { action: "list_versions_by_function", as: "invoker", inputs: { function_name: "echo" } },
  { action: "list_aliases", as: "invoker", inputs: { function_name: "echo" } },
  { action: "get_account_settings", as: "invoker", inputs: {} },
  { action: "list_layers", as: "invoker", inputs: {} },
  { action: "list_layer_versions", as: "invoker", inputs: { layer_name: DEMO_LAYER.name } },
  { action: "assess_function_exposure", as: "invoker", inputs: webhook },
  { action: "assess_function_security", as: "invoker", inputs: webhook },
  {
    action: "put_function_concurrency",
    as: "responder",
    inputs: { ...webhook, reserved_concurrent_executions: 0 },
  },
  {
    action: "remove_permission",
    as: "responder",
    inputs: (outputs) => ({
      ...webhook,
      statement_id: PUBLIC_WEBHOOK.publicStatementId,
      revision_id: outputs.get("get_policy")?.revision_id,
    }),
  },
  {
    action: "update_function_url_config",
    as: "responder",
    inputs: { ...webhook, auth_type: "AWS_IAM" },
  },
  {
    action: "update_event_source_mapping",
    as: "responder",
    inputs: { uuid: PUBLIC_WEBHOOK.eventSourceMappingUuid, enabled: false },
  },
  {
    action: "tag_function",
    as: "responder",
    inputs: { ...webhook, tags: { quarantine: "true", case: "SW-1234" } },
  },
  { action: "delete_function_concurrency", as: "responder", inputs: webhook },
  { action: "untag_function", as: "responder", inputs: { ...webhook, tag_keys: ["quarantine"] } },
  { action: "delete_function_url_config", as: "responder", inputs: webhook },
  {
    action: "create_function_url_config",
    as: "responder",
    inputs: {
      ...webhook,
      auth_type: "AWS_IAM",
      cors: { allow_origins: ["https://soc.example.com"], allow_methods: ["POST"] },
    },
  },
  {
    action: "add_permission",
    as: "responder",
    inputs: {
      function_name: "enrich-indicator",
      statement_id: "s3-incoming-artifacts",
      principal: "s3.amazonaws.com",
      source_arn: "arn:aws:s3:::incoming-artifacts",
      source_account: defaultWorld().accountId,
    },
  },
  {
    action: "publish_version",
    as: "responder",
    inputs: (outputs) => ({
      ...webhook,
      code_sha256: (outputs.get("get_function")?.function as Json | undefined)?.code_sha256,
      description: "Evidence for SW-1234",
    }),
  },
  { action: "get_function_event_invoke_config", as: "responder", inputs: webhook },
  {
    action: "put_function_event_invoke_config",
    as: "responder",
    inputs: { ...webhook, maximum_retry_attempts: 0 },
  },
  { action: "delete_function_event_invoke_config", as: "responder", inputs: webhook },
  { action: "get_alias", as: "responder", inputs: { function_name: "echo", alias_name: "live" } },
  {
    action: "update_alias",
    as: "responder",
    inputs: {
      function_name: "echo",
      alias_name: "live",
      function_version: "1",
      routing_weights: {},
    },
  },
  {
    action: "create_alias",
    as: "responder",
    inputs: {
      function_name: "echo",
      alias_name: "known-good",
      function_version: "1",
      description: "Before SW-1234",
    },
  },
  {
    action: "delete_alias",
    as: "responder",
    inputs: { function_name: "echo", alias_name: "known-good" },
  },
  {
    action: "update_function_configuration",
    as: "responder",
    inputs: { ...webhook, environment_remove: ["FORWARD_TO"], timeout: 5 },
  },
  {
    action: "update_function_code",
    as: "responder",
    inputs: {
      ...webhook,
      zip_file_base64: Buffer.from(HANDLER_ZIP).toString("base64"),
      expected_sha256: createHash("sha256").update(HANDLER_ZIP).digest("hex"),
      publish: true,
    },
  },
  {
    action: "create_function",
    as: "responder",
    inputs: {
      function_name: "triage-helper",
      runtime: "python3.12",
      handler: "app.handler",
      execution_role_arn: DEMO_EXECUTION_ROLE.arn,
      zip_file: { file: FILE_ID, file_name: "triage-helper.zip" },
      description: "Triage helper for SW-1234",
      timeout: 30,
      memory_size: 256,
      environment: { LOG_LEVEL: "info" },
      tags: { owner: "soc", case: "SW-1234" },
    },
  },
  {
    action: "delete_function",
    as: "responder",
    inputs: { function_name: "triage-helper", confirm_function_name: "triage-helper" },
  },
  {
    action: "publish_layer_version",
    as: "responder",
    inputs: {
      layer_name: DEMO_LAYER.name,
      zip_file_base64: Buffer.from(HANDLER_ZIP).toString("base64"),
      compatible_runtimes: ["python3.12"],
      description: "Triage helpers",
    },
  },
  {
    action: "delete_layer_version",
    as: "responder",
    inputs: { layer_name: DEMO_LAYER.name, version_number: 1 },
  },
];

const missing = ACTION_NAMES.filter((name) => !STEPS.some((s) => s.action === name));
if (missing.length > 0) {
  throw new Error(`no example step for ${missing.join(", ")}: add one to STEPS`);
}

/** The time the waits skipped: the endpoint and the runs read real time plus this. */
let skippedMs = 0;
const now = () => Date.now() + skippedMs;
const capturedAt = Date.now();

const files = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const ok = url.pathname === `/files/${FILE_ID}` && url.searchParams.get("token") === FILE_TOKEN;
  res.writeHead(ok ? 200 : 404).end(ok ? HANDLER_ZIP : undefined);
});
await new Promise<void>((done) => files.listen(0, "127.0.0.1", done));
const env = {
  IPC_API_URI: `http://127.0.0.1:${(files.address() as AddressInfo).port}`,
  IPC_API_TOKEN: FILE_TOKEN,
};

const aws = await startLocalAws({ now });
const assets = { invoker: demoAsset(aws.url), responder: demoResponderAsset(aws.url) };
const outputs = new Map<string, Json>();
const written: string[] = [];
try {
  await mkdir(examplesDir, { recursive: true });
  for (const step of STEPS) {
    const inputs = typeof step.inputs === "function" ? step.inputs(outputs) : step.inputs;
    const run = await runConnector(
      step.action,
      JSON.stringify({ asset: assets[step.as], inputs }),
      {
        env,
        // create_function polls until Active: let its waits pass at once, on both clocks.
        executor: {
          now,
          sleep: async (ms) => {
            skippedMs += ms;
          },
        },
      },
    );
    if (run.exitCode !== 0 || !run.stdout.startsWith(OUTPUT_PREFIX)) {
      throw new Error(`${step.action} failed (exit ${run.exitCode}): ${run.stderr.trim()}`);
    }
    const output = JSON.parse(run.stdout.slice(OUTPUT_PREFIX.length)) as Json;
    outputs.set(step.action, output);
    const file = resolve(examplesDir, `${step.action}.json`);
    await writeFile(file, `${JSON.stringify(normalised({ inputs, output }), null, 2)}\n`);
    written.push(file);
    process.stderr.write(`recorded ${step.action}\n`);
  }
} finally {
  await aws.close();
  files.close();
}

// Written as the repository's Biome configuration formats JSON, so that `biome check` passes.
const biome = spawnSync(
  resolve(root, "node_modules", ".bin", "biome"),
  ["format", "--write", ...written],
  {
    stdio: ["ignore", "ignore", "inherit"],
  },
);
if (biome.status !== 0) {
  throw new Error("biome could not format the examples");
}
process.stderr.write(
  `wrote ${written.length} examples to docs/examples; run \`npm run manifests\` to put them in the manifests and README\n`,
);

/**
 * `example` with what differs from one capture to the next replaced. UUIDs other than
 * the demo world's mapping UUIDs (request and revision IDs) become fixed ones, numbered
 * by first appearance in the example, so that one ID keeps one replacement throughout.
 */
function normalised(example: Json): Json {
  const keep = new Set((defaultWorld().eventSourceMappings ?? []).map((m) => m.uuid));
  const uuids = new Map<string, string>();
  const text = (value: string) =>
    value
      .replaceAll(aws.url, "http://127.0.0.1:4566")
      .replace(UUID, (uuid) => {
        if (keep.has(uuid)) {
          return uuid;
        }
        const fixed =
          uuids.get(uuid) ?? `00000000-0000-4000-8000-${String(uuids.size + 1).padStart(12, "0")}`;
        uuids.set(uuid, fixed);
        return fixed;
      })
      .replace(TIMESTAMP, (stamp, zone: string) =>
        Math.abs(Date.parse(stamp.replace(/([+-]\d\d)(\d\d)$/, "$1:$2")) - capturedAt) < DAY_MS
          ? `${FIXED_DATE}${zone}`
          : stamp,
      )
      .replace(/\bDuration: \d+\.\d+ ms/g, "Duration: 3.42 ms")
      .replace(/\bBilled Duration: \d+ ms/g, "Billed Duration: 4 ms")
      .replace(/\bMax Memory Used: \d+ MB/g, "Max Memory Used: 48 MB");
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") {
      return text(value);
    }
    if (Array.isArray(value)) {
      return value.map(walk);
    }
    if (typeof value === "object" && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, walk(v)]));
    }
    return value;
  };
  return walk(example) as Json;
}

/**
 * A zip archive holding one file, stored without compression: as small as a valid
 * deployment package gets, and the same bytes every time (a fixed modification date).
 */
function storedZip(name: string, content: string): Uint8Array {
  const fileName = Buffer.from(name);
  const data = Buffer.from(content);
  const crc = crc32(data);
  const dosDate = ((2025 - 1980) << 9) | (1 << 5) | 1;
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(dosDate, 12);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(dosDate, 14);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  central.writeUInt32LE(0o100644 * 0x10000, 38);
  const centralOffset = local.length + fileName.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return new Uint8Array(Buffer.concat([local, fileName, data, central, fileName, end]));
}

/** The CRC-32 a zip entry records (IEEE polynomial, reflected). */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) {
      crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
    }
  }
  return (crc ^ 0xffffffff) >>> 0;
}
