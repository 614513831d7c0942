// Where acquire_function_evidence's 50 MiB stream spends its time: each stage of its path
// alone (scripts/bench/evidence-stage.ts, a fresh process per run), beside curl's plain
// download of the same URL and an equivalent curl pipeline (download, SHA-256 and upload:
// `curl URL | tee >(sha256sum) | curl -T - <file API>`), the stages interleaved round by
// round so the shared machine's load falls on all of them alike. Prints medians.
//
//   node scripts/with-node.mjs 24 --import tsx scripts/bench/evidenceStages.ts [rounds]
import { spawn } from "node:child_process";
import { loadavg } from "node:os";
import { join } from "node:path";
import {
  curl,
  curlPipeline,
  PACKAGE_BYTES,
  presignedUrl,
  startEvidenceWorld,
} from "./evidenceRuns.js";

const rounds = Number(process.argv[2] ?? "7");
/**
 * Each stage, and the whole once more on a young generation of 1 MiB: Node allocates a
 * fresh 64 KiB buffer for every socket read, freed only when the GC collects it, so how
 * often the young generation is collected decides how much memory the download touches.
 */
const STAGES = [
  { stage: "sink", name: "sink", node: [] },
  { stage: "sink-hash", name: "sink-hash", node: [] },
  { stage: "download", name: "download", node: [] },
  { stage: "upload", name: "upload", node: [] },
  { stage: "full", name: "full", node: [] },
  { stage: "full", name: "full, --max-semi-space-size=1", node: ["--max-semi-space-size=1"] },
] as const;
const world = await startEvidenceWorld();
const fresh = () => presignedUrl(world.aws.url, "evidence-50mb");

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} exited ${code}`)),
    );
  });
}

/**
 * ms from the upload's request reaching the file API to its last byte, checked intact;
 * the file API's CPU over that span is recorded beside it.
 */
async function arrived(from: number, name = ""): Promise<number> {
  const upload = await world.files.uploaded(from);
  if (name !== "") {
    add(`${name}: file API's CPU`, upload.cpuMs);
  }
  return upload.ms;
}

/**
 * Runs `work` and records the bench process's CPU over it: the local endpoint serving
 * the download (the bench itself only waits meanwhile).
 */
async function endpointCpu<T>(name: string, work: () => Promise<T>): Promise<T> {
  const before = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(before);
  add(`${name}: endpoint's CPU`, (used.user + used.system) / 1000);
  return result;
}

const times: Record<string, number[]> = {};
const add = (name: string, ms: number) => {
  times[name] ??= [];
  times[name].push(ms);
};
const load = [loadavg()[0] ?? 0, 0];
try {
  for (let i = 0; i < rounds; i++) {
    const url = await fresh();
    add("curl -o /dev/null", await endpointCpu("curl -o /dev/null", () => curl(url)));
    {
      const from = world.files.received.length;
      const url = await fresh();
      const started = performance.now();
      await endpointCpu("curl | tee >(sha256sum) | curl -T -", () =>
        curlPipeline(url, world.files.url, world.largeSha),
      );
      add("curl | tee >(sha256sum) | curl -T - (wall)", performance.now() - started);
      add(
        "curl | tee >(sha256sum) | curl -T - (file API)",
        await arrived(from, "curl | tee >(sha256sum) | curl -T -"),
      );
    }
    for (const { stage, name, node } of STAGES) {
      const from = world.files.received.length;
      const url = await fresh();
      const line = await endpointCpu(name, () =>
        run(process.execPath, [
          ...node,
          "--import",
          "tsx",
          join(import.meta.dirname, "evidence-stage.ts"),
          stage,
          url,
          world.files.url,
          world.large,
        ]),
      );
      const { ms, bytes, userMs, systemMs } = JSON.parse(line) as {
        ms: number;
        bytes: number;
        userMs: number;
        systemMs: number;
      };
      if (bytes !== PACKAGE_BYTES) {
        throw new Error(`${stage} moved ${bytes} bytes`);
      }
      add(name, ms);
      add(`${name}: its CPU, user + system`, userMs + systemMs);
      if (stage === "upload" || stage === "full") {
        add(`${name} (file API)`, await arrived(from, name));
      }
    }
    process.stderr.write(`stages: round ${i + 1}/${rounds}\n`);
  }
} finally {
  load[1] = loadavg()[0] ?? 0;
  await world.close();
}
const mib = PACKAGE_BYTES / 1024 / 1024;
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const curlMs = median(times["curl -o /dev/null"] ?? []);
process.stdout.write(
  `load ${load[0]?.toFixed(2)} -> ${load[1]?.toFixed(2)}, ${rounds} rounds, medians\n`,
);
for (const [name, values] of Object.entries(times)) {
  const ms = median(values);
  const speed = name.includes("CPU")
    ? "".padEnd(28)
    : `${(mib / (ms / 1000)).toFixed(0).padStart(5)} MiB/s  ${(curlMs / ms).toFixed(2)}x curl`.padEnd(
        28,
      );
  process.stdout.write(
    `${name.padEnd(52)} ${ms.toFixed(0).padStart(5)} ms ${speed} [${values.map((v) => v.toFixed(0)).join(" ")}]\n`,
  );
}
