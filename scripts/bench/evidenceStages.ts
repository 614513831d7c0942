// Where acquire_function_evidence's 50 MiB stream spends its time: each stage of its path
// alone (scripts/bench/evidence-stage.ts, a fresh process per run), beside curl's plain
// download of the same URL and an equivalent curl pipeline (download, SHA-256 and upload:
// `curl URL | tee >(sha256sum) | curl -T - <file API>`), the stages interleaved round by
// round so the shared machine's load falls on all of them alike. Prints the medians and
// writes them into docs/benchmarks.md (section evidence-stages) unless --no-write.
//
//   node scripts/with-node.mjs 24 --import tsx scripts/bench/evidenceStages.ts [rounds] [--no-write]
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import {
  curl,
  curlPipeline,
  outputOf,
  PACKAGE_BYTES,
  presignedUrl,
  startEvidenceWorld,
} from "./evidenceRuns.js";
import { withSection } from "./keptSections.js";

const rounds = Number(process.argv.find((arg) => /^\d+$/.test(arg)) ?? "7");
/** What each contender does, as the table says it. */
const STAGE_TEXT: Record<string, string> = {
  "curl -o /dev/null": "curl -o /dev/null (the goal's comparison)",
  "curl | tee >(sha256sum) | curl -T -":
    "`curl URL \\| tee >(sha256sum) \\| curl -T - <file API>`: the connector's three jobs, by curl",
  sink: "Node's http.get, bytes discarded: any Node download's floor",
  "sink-hash": "the same with a SHA-256 of each chunk",
  download: "openPackageDownload (its checks, count and hash), into a discarding sink",
  upload: "uploadFileStream of the package from memory (64 KiB chunks)",
  full: "download into upload, as acquire_function_evidence does",
  "full, --max-semi-space-size=1": "the same on a 1 MiB young generation (a node flag)",
};
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
 * `curl` downloading `url` to /dev/null under /usr/bin/time: its CPU (user + system) and
 * its minor page faults, the same figures the stages report of themselves (which
 * include their process's start here, a few ms and about 2,800 faults for node).
 */
async function curlResources(url: string): Promise<{ cpuMs: number; minorFaults: number }> {
  const out = await outputOf(
    "/usr/bin/time",
    ["-f", "%U %S %R", "curl", "-sS", "-o", "/dev/null", url],
    "stderr",
  );
  const [user = Number.NaN, system = Number.NaN, faults = Number.NaN] = (
    out.trim().split("\n").at(-1) ?? ""
  )
    .split(" ")
    .map(Number);
  return { cpuMs: (user + system) * 1000, minorFaults: faults };
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
    const timed = await curlResources(await fresh());
    add("curl -o /dev/null: its CPU, user + system", timed.cpuMs);
    add("curl -o /dev/null: its page faults", timed.minorFaults);
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
        outputOf(
          process.execPath,
          [
            ...node,
            "--import",
            "tsx",
            join(import.meta.dirname, "evidence-stage.ts"),
            stage,
            url,
            world.files.url,
            world.large,
          ],
          "stdout",
        ),
      );
      const { ms, bytes, userMs, systemMs, minorFaults } = JSON.parse(line) as {
        ms: number;
        bytes: number;
        minorFaults: number;
        userMs: number;
        systemMs: number;
      };
      if (bytes !== PACKAGE_BYTES) {
        throw new Error(`${stage} moved ${bytes} bytes`);
      }
      add(name, ms);
      add(`${name}: its CPU, user + system`, userMs + systemMs);
      add(`${name}: its page faults`, minorFaults);
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
const median = (values: number[] | undefined) =>
  [...(values ?? [])].sort((a, b) => a - b)[Math.floor((values ?? []).length / 2)] ?? Number.NaN;
const curlMs = median(times["curl -o /dev/null"]);
const ms = (value: number) => (Number.isNaN(value) ? "—" : `${value.toFixed(0)} ms`);
/** One row per contender: its time (at the file API when it uploads) and each process's CPU. */
const rows = [
  [
    "curl -o /dev/null",
    "curl -o /dev/null",
    ms(median(times["curl -o /dev/null: its CPU, user + system"])),
  ],
  ["curl | tee >(sha256sum) | curl -T -", "curl | tee >(sha256sum) | curl -T - (file API)", "—"],
  ...STAGES.map(({ stage, name }) => [
    name,
    stage === "upload" || stage === "full" ? `${name} (file API)` : name,
    ms(median(times[`${name}: its CPU, user + system`])),
  ]),
].map(([name = "", timed = "", ownCpu = ""]) => {
  const time = median(times[timed]);
  const faults = median(times[`${name}: its page faults`]);
  return [
    STAGE_TEXT[name] ?? name,
    `${ms(time)}, ${(mib / (time / 1000)).toFixed(0)} MiB/s`,
    `${(curlMs / time).toFixed(2)}×`,
    ownCpu,
    Number.isNaN(faults) ? "—" : faults.toFixed(0),
    ms(median(times[`${name}: endpoint's CPU`])),
    ms(median(times[`${name}: file API's CPU`])),
  ];
});
const table = [
  "| contender | time (median), throughput | ÷ curl's | its CPU | its page faults | the endpoint's CPU | the file API's CPU |",
  "| --- | --- | --- | --- | --- | --- | --- |",
  ...rows.map((cells) => `| ${cells.join(" | ")} |`),
].join("\n");
const section = [
  "## Evidence of a 50 MiB package, stage by stage",
  "",
  `Run on ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, Node ${process.version}, with \`scripts/bench/evidenceStages.ts ${rounds}\`, load average ${load[0]?.toFixed(2)} at the start and ${load[1]?.toFixed(2)} at the end (${cpus().length} cores).`,
  "Each stage of acquire_function_evidence's path runs alone in a fresh process",
  "(`scripts/bench/evidence-stage.ts`, process start not timed), the stages and curl",
  `interleaved over ${rounds} rounds; a time with an upload is the file API's, from the request to its last`,
  "byte. CPU is user + system: the stage's process (its own span), the bench process that",
  "serves the download as the local endpoint, and the file API that compares the upload;",
  "curl's CPU and page faults are those of a second curl run under /usr/bin/time (its",
  "whole process). A page fault is a page of memory touched for the first time: Node reads",
  "a socket into a fresh 64 KiB buffer each time, freed only when the GC collects it.",
  "",
  table,
].join("\n");
process.stdout.write(`${section}\n`);
if (!process.argv.includes("--no-write")) {
  const path = join(import.meta.dirname, "..", "..", "docs", "benchmarks.md");
  writeFileSync(path, withSection(readFileSync(path, "utf8"), "evidence-stages", section));
  process.stderr.write(`stages: wrote ${path}\n`);
}
