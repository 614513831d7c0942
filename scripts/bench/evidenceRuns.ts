import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { GetFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { DEMO_USER, defaultWorld, demoAsset } from "../../local-aws/defaultWorld.js";
import { startLocalAws } from "../../local-aws/LocalAws.js";
import { ENTRY_PATH } from "../lib/runEntryProcess.js";
import type { TableRow } from "./assess.js";
import { cleanEnvironment, runTimed } from "./runTimed.js";

/** The package the bench preserves: Lambda's 50 MB direct-upload size, incompressible. */
export const PACKAGE_BYTES = 50 * 1024 * 1024;
const SMALL_BYTES = 1024;
const PRELOAD = pathToFileURL(join(import.meta.dirname, "report-max-rss.mjs")).href;
const MAX_RSS_LINE = /^bench-max-rss-kib (\d+)$/m;
const FILE_TOKEN = "bench-evidence";

/** What one round measured, each side in a fresh process. */
export interface EvidenceRound {
  /** Peak RSS, KiB, of the connector acquiring the 50 MB package. */
  largeKiB: number;
  /** The same action on a 1 KiB package: the connector with its SDK clients and reads. */
  smallKiB: number;
  /** The SDK's NodeHttpHandler streaming the same URL into a SHA-256 (sdk-stream.mjs). */
  sdkStreamKiB: number;
  /** `node` with the same preload and nothing else. */
  bareKiB: number;
  /** Wall time of the 50 MB run, and of the 1 KiB run (the fixed cost of the action). */
  largeMs: number;
  smallMs: number;
  /**
   * From the 50 MB upload's request reaching the file API to its last byte: the stream
   * itself (the download feeds it as it arrives, hashed on the way).
   */
  streamMs: number;
  /** `curl` downloading the same presigned URL to /dev/null. */
  curlMs: number;
  /**
   * The connector's three jobs done by curl (`curlPipeline`), timed as the connector's
   * stream is: at the file API, from the upload's request to its last byte.
   */
  curlPipelineMs: number;
}

/** The evidence benchmark's figures. */
export interface EvidenceFigures {
  nodeVersion: string;
  date: string;
  packageBytes: number;
  /** The 1-minute load average at the start and at the end: the machine is shared. */
  load: [number, number];
  rounds: EvidenceRound[];
}

/**
 * Measures acquire_function_evidence on a 50 MB package served by the local endpoint:
 * peak RSS against the same action on a 1 KiB package, the SDK's own handler streaming
 * the same URL (sdk-stream.mjs) and a bare node,
 * and the time the 50 MB adds against `curl` downloading the same URL, `rounds` times,
 * each in fresh processes. The file API here, in its own process, compares what it receives with the package and keeps nothing.
 */
export async function measureEvidence(
  rounds: number,
  progress: (line: string) => void,
): Promise<EvidenceFigures> {
  const { aws, files, largeSha, close } = await startEvidenceWorld();
  const asset = demoAsset(aws.url);
  const env = cleanEnvironment({
    ASSET_KEYS: Object.keys(asset).join(","),
    IPC_API_URI: files.url,
    IPC_API_TOKEN: FILE_TOKEN,
  });
  const run = async (action: string, inputs: Record<string, unknown>) => {
    const timed = await runTimed({
      command: process.execPath,
      args: ["--import", PRELOAD, ENTRY_PATH, action],
      env,
      stdin: JSON.stringify({ ...asset, ...inputs }),
    });
    if (timed.exitCode !== 0) {
      throw new Error(`${action} failed: ${timed.stderr.trim().slice(-2000)}`);
    }
    return { ms: timed.toExitMs, kib: peakOf(timed.stderr) };
  };
  const figures: EvidenceFigures = {
    nodeVersion: process.version,
    date: new Date().toISOString(),
    packageBytes: PACKAGE_BYTES,
    load: [loadavg()[0] ?? 0, 0],
    rounds: [],
  };
  try {
    for (let i = 0; i < rounds; i++) {
      const before = files.received.length;
      const largeRun = await run("acquire_function_evidence", {
        function_name: "evidence-50mb",
        include_layers: false,
      });
      const stored = await files.uploaded(before);
      const smallRun = await run("acquire_function_evidence", {
        function_name: "evidence-1kb",
        include_layers: false,
      });
      const sdkStream = await runTimed({
        command: process.execPath,
        args: [
          "--import",
          PRELOAD,
          join(import.meta.dirname, "sdk-stream.mjs"),
          await presignedUrl(aws.url, "evidence-50mb"),
        ],
        env,
        stdin: "",
      });
      if (!sdkStream.stdout.includes(largeSha)) {
        throw new Error(
          `sdk-stream.mjs did not read the package: ${sdkStream.stderr.slice(-2000)}`,
        );
      }
      const bare = await runTimed({
        command: process.execPath,
        args: ["--import", PRELOAD, "-e", "0"],
        env,
        stdin: "",
      });
      const curlMs = await curl(await presignedUrl(aws.url, "evidence-50mb"));
      const piped = files.received.length;
      await curlPipeline(await presignedUrl(aws.url, "evidence-50mb"), files.url, largeSha);
      const curlPipelineMs = (await files.uploaded(piped)).ms;
      figures.rounds.push({
        largeKiB: largeRun.kib,
        smallKiB: smallRun.kib,
        sdkStreamKiB: peakOf(sdkStream.stderr),
        bareKiB: peakOf(bare.stderr),
        largeMs: largeRun.ms,
        smallMs: smallRun.ms,
        streamMs: stored.ms,
        curlMs,
        curlPipelineMs,
      });
      progress(`bench: evidence round ${i + 1}/${rounds}\n`);
    }
  } finally {
    figures.load[1] = loadavg()[0] ?? 0;
    await close();
  }
  return figures;
}

/** The local endpoint and the bench's file API, serving and expecting the 50 MiB package. */
export interface EvidenceWorld {
  aws: Awaited<ReturnType<typeof startLocalAws>>;
  files: ComparingFileApi;
  /** The 50 MiB package's file and its base64 SHA-256. */
  large: string;
  largeSha: string;
  close(): Promise<void>;
}

/**
 * Writes the 50 MiB and 1 KiB packages of random bytes, and starts the local endpoint
 * with a function for each (`evidence-50mb`, `evidence-1kb`) and the comparing file API.
 */
export async function startEvidenceWorld(): Promise<EvidenceWorld> {
  const dir = await mkdtemp(join(tmpdir(), "bench-evidence-"));
  const large = join(dir, "large.zip");
  const small = join(dir, "small.zip");
  const largeSha = await writeRandomFile(large, PACKAGE_BYTES);
  const smallSha = await writeRandomFile(small, SMALL_BYTES);
  const world = defaultWorld();
  const echo = world.functions.find((fn) => fn.name === "echo");
  if (echo === undefined) {
    throw new Error("the demo world has no echo function");
  }
  for (const [name, file, sha256, sizeBytes] of [
    ["evidence-50mb", large, largeSha, PACKAGE_BYTES],
    ["evidence-1kb", small, smallSha, SMALL_BYTES],
  ] as const) {
    world.functions.push({
      ...structuredClone(echo),
      name,
      versions: [],
      aliases: {},
      codePackage: { sizeBytes, sha256 },
      packageFile: file,
    });
  }
  const aws = await startLocalAws({ world });
  const files = await startComparingFileApi(large);
  return {
    aws,
    files,
    large,
    largeSha,
    close: async () => {
      await aws.close();
      await files.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The figures as the benchmark's table rows. */
export function evidenceRows(figures: EvidenceFigures): TableRow[] {
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  };
  const pick = (key: keyof EvidenceRound) => median(figures.rounds.map((round) => round[key]));
  const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;
  const growth = pick("largeKiB") - pick("smallKiB");
  const sdkOwn = pick("sdkStreamKiB") - pick("bareKiB");
  const packageMiB = figures.packageBytes / 1024 / 1024;
  const addedMs = pick("largeMs") - pick("smallMs");
  const connectorMiBs = packageMiB / (addedMs / 1000);
  const curlMiBs = packageMiB / (pick("curlMs") / 1000);
  const streamMiBs = packageMiB / (pick("streamMs") / 1000);
  const pipelineMiBs = packageMiB / (pick("curlPipelineMs") / 1000);
  const n = figures.rounds.length;
  const memory = `Peak RSS, evidence of a ${packageMiB} MiB package (median of ${n})`;
  const speed = `Throughput for the ${packageMiB} MiB (median of ${n})`;
  return [
    {
      measure: memory,
      contender: "connector: acquire_function_evidence, 50 MiB package",
      figure: mib(pick("largeKiB")),
      ratio: "—",
      goal: "—",
      result: "",
    },
    {
      measure: memory,
      contender: "connector: acquire_function_evidence, 1 KiB package",
      figure: `${mib(pick("smallKiB"))}; the package adds ${mib(growth)}`,
      ratio: "—",
      goal: "—",
      result: "",
    },
    {
      measure: memory,
      contender:
        "the SDK's own buffers: its NodeHttpHandler streaming the same URL, over a bare node",
      figure: `${mib(pick("sdkStreamKiB"))} − ${mib(pick("bareKiB"))} = ${mib(sdkOwn)}`,
      ratio: `${(growth / sdkOwn).toFixed(2)}× (growth ÷ this)`,
      goal: "< 2×",
      result: growth < 2 * sdkOwn ? "PASS" : "FAIL",
    },
    {
      measure: speed,
      contender: "connector: download, SHA-256 and upload, as the file API receives it",
      figure: `${streamMiBs.toFixed(0)} MiB/s (${pick("streamMs").toFixed(0)} ms)`,
      ratio: `${(streamMiBs / curlMiBs).toFixed(2)}×`,
      goal: "≥ 0.8×",
      result: streamMiBs / curlMiBs >= 0.8 ? "PASS" : "FAIL",
    },
    {
      measure: speed,
      contender: "connector: the whole 50 MiB run less the 1 KiB run",
      figure: `${connectorMiBs.toFixed(0)} MiB/s (${addedMs.toFixed(0)} ms)`,
      ratio: `${(connectorMiBs / curlMiBs).toFixed(2)}×`,
      goal: "—",
      result: "",
    },
    {
      measure: speed,
      contender: "curl -o /dev/null, the same presigned URL",
      figure: `${curlMiBs.toFixed(0)} MiB/s (${pick("curlMs").toFixed(0)} ms)`,
      ratio: "—",
      goal: "—",
      result: "",
    },
    {
      measure: speed,
      contender:
        "curl doing the connector's three jobs: `curl URL | tee >(sha256sum) | curl -T - <file API>`, as the file API receives it",
      figure: `${pipelineMiBs.toFixed(0)} MiB/s (${pick("curlPipelineMs").toFixed(0)} ms)`,
      ratio: `${(streamMiBs / pipelineMiBs).toFixed(2)}× (the connector's stream ÷ this)`,
      goal: "—",
      result: "",
    },
  ];
}

function peakOf(stderr: string): number {
  const match = MAX_RSS_LINE.exec(stderr);
  if (match === null) {
    throw new Error("a run did not report its peak memory");
  }
  return Number(match[1]);
}

/** Writes `bytes` random bytes to `path`; returns their base64 SHA-256. */
async function writeRandomFile(path: string, bytes: number): Promise<string> {
  const hash = createHash("sha256");
  const out = createWriteStream(path);
  for (let written = 0; written < bytes; ) {
    const chunk = randomBytes(Math.min(1024 * 1024, bytes - written));
    hash.update(chunk);
    written += chunk.length;
    if (!out.write(chunk)) {
      await new Promise<void>((resolve) => out.once("drain", () => resolve()));
    }
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  return hash.digest("base64");
}

/** A fresh presigned URL for the function's package, as GetFunction gives it. */
export async function presignedUrl(endpoint: string, functionName: string): Promise<string> {
  const lambda = new LambdaClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: DEMO_USER.accessKeyId, secretAccessKey: DEMO_USER.secretAccessKey },
  });
  try {
    const answer = await lambda.send(new GetFunctionCommand({ FunctionName: functionName }));
    const url = answer.Code?.Location;
    if (url === undefined) {
      throw new Error("GetFunction gave no Code.Location");
    }
    return url;
  } finally {
    lambda.destroy();
  }
}

/**
 * The connector's three jobs done by curl and coreutils: download `url`, SHA-256 the
 * bytes on the way (checked against `sha256Base64`), upload them as they come to the
 * file API (`curl -T -`: chunked, the body being the file itself). Resolves once all
 * three ended; the file API times the upload.
 */
export async function curlPipeline(
  url: string,
  fileApiUrl: string,
  sha256Base64: string,
): Promise<void> {
  const hex = Buffer.from(sha256Base64, "base64").toString("hex");
  const script = `curl -sS "$1" | tee >(sha256sum >&2) | curl -sS -o /dev/null -T - -X POST -H 'content-type: application/octet-stream' "$2"; wait`;
  const hashed = await outputOf(
    "bash",
    ["-c", script, "curl-pipeline", url, `${fileApiUrl}/files?token=${FILE_TOKEN}`],
    "stderr",
  );
  if (!hashed.includes(hex)) {
    throw new Error(`the curl pipeline's sha256sum did not see the package: ${hashed.slice(-500)}`);
  }
}

/**
 * What `command` writes to `stream` (the other output is ignored, or shown on the bench's
 * stderr for stdout), once it exits 0; an exit with another status rejects with it.
 */
export function outputOf(
  command: string,
  args: string[],
  stream: "stdout" | "stderr",
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: [
        "ignore",
        stream === "stdout" ? "pipe" : "ignore",
        stream === "stdout" ? "inherit" : "pipe",
      ],
    });
    let out = "";
    child[stream]?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve(out)
        : reject(
            new Error(
              `${command} exited ${code}${stream === "stderr" ? `: ${out.slice(-500)}` : ""}`,
            ),
          ),
    );
  });
}

/** `curl` downloading `url` to /dev/null: its own total time, in ms. */
export function curl(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn("curl", ["-sS", "-o", "/dev/null", "-w", "%{time_total}", url]);
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(Number(out) * 1000) : reject(new Error(`curl exited ${code}`)),
    );
  });
}

export interface ComparingFileApi {
  url: string;
  /** Each upload: whether its file is the package, its size, and ms from its request to its last byte. */
  received: Upload[];
  /**
   * The first upload from the `from`th on whose file is the package byte for byte: its
   * line may reach the bench a little after the connector's exit. Fails when none came.
   */
  uploaded(from: number): Promise<Upload>;
  close(): Promise<void>;
}

export interface Upload {
  intact: boolean;
  bytes: number;
  ms: number;
  /** The file API process's CPU (user + system) over the same span. */
  cpuMs: number;
}

/** How long the file API's line about an upload may lag behind the connector's exit. */
const UPLOAD_LINE_MS = 5000;

/**
 * A file API that keeps nothing and compares each upload with the package file
 * (comparing-file-api.mjs), in a process of its own: were it in the bench's process,
 * receiving and checking the upload would take turns with the local endpoint serving
 * the download on one event loop, which curl's download of the same URL does not share.
 */
async function startComparingFileApi(packageFile: string): Promise<ComparingFileApi> {
  const received: Upload[] = [];
  const child = spawn(
    process.execPath,
    [join(import.meta.dirname, "comparing-file-api.mjs"), packageFile],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let pending = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (text: string) => {
      pending += text;
      for (let end = pending.indexOf("\n"); end >= 0; end = pending.indexOf("\n")) {
        const line = pending.slice(0, end);
        pending = pending.slice(end + 1);
        const listening = /^listening (\S+)$/.exec(line);
        if (listening?.[1] !== undefined) {
          resolve(listening[1]);
        } else if (line !== "") {
          received.push(JSON.parse(line) as Upload);
          child.emit("upload");
        }
      }
    });
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the bench's file API exited ${code}`)));
  });
  const uploaded = (from: number) =>
    new Promise<Upload>((resolve, reject) => {
      const look = () => {
        const found = received.slice(from).find((upload) => upload.intact);
        if (found !== undefined) {
          clearTimeout(timer);
          child.off("upload", look);
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        child.off("upload", look);
        reject(new Error("the 50 MB package did not reach the file API intact"));
      }, UPLOAD_LINE_MS);
      child.on("upload", look);
      look();
    });
  return {
    url,
    received,
    uploaded,
    close: async () => {
      child.stdin.end();
      await exited;
    },
  };
}
