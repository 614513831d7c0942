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
import { curl, PACKAGE_BYTES, presignedUrl, startEvidenceWorld } from "./evidenceRuns.js";

const rounds = Number(process.argv[2] ?? "7");
const STAGES = ["sink", "sink-hash", "download", "upload", "full"] as const;
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

/** ms from the upload's request reaching the file API to its last byte, checked intact. */
async function arrived(from: number): Promise<number> {
  const upload = await world.files.uploaded(from);
  return upload.ms;
}

const times: Record<string, number[]> = {};
const add = (name: string, ms: number) => {
  times[name] ??= [];
  times[name].push(ms);
};
const load = [loadavg()[0] ?? 0, 0];
try {
  for (let i = 0; i < rounds; i++) {
    add("curl -o /dev/null", await curl(await fresh()));
    {
      const from = world.files.received.length;
      const started = performance.now();
      await run("bash", [
        "-c",
        `curl -sS "$1" | tee >(sha256sum >/dev/null) | curl -sS -o /dev/null -T - -X POST -H 'content-type: application/octet-stream' "$2"`,
        "pipeline",
        await fresh(),
        `${world.files.url}/files?token=bench-evidence`,
      ]);
      add("curl | tee >(sha256sum) | curl -T - (wall)", performance.now() - started);
      add("curl | tee >(sha256sum) | curl -T - (file API)", await arrived(from));
    }
    for (const stage of STAGES) {
      const from = world.files.received.length;
      const line = await run(process.execPath, [
        "--import",
        "tsx",
        join(import.meta.dirname, "evidence-stage.ts"),
        stage,
        await fresh(),
        world.files.url,
        world.large,
      ]);
      const { ms, bytes, userMs, systemMs } = JSON.parse(line) as {
        ms: number;
        bytes: number;
        userMs: number;
        systemMs: number;
      };
      if (bytes !== PACKAGE_BYTES) {
        throw new Error(`${stage} moved ${bytes} bytes`);
      }
      add(stage, ms);
      add(`${stage}: its CPU, user + system`, userMs + systemMs);
      if (stage === "upload" || stage === "full") {
        add(`${stage} (file API)`, await arrived(from));
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
  process.stdout.write(
    `${name.padEnd(48)} ${ms.toFixed(0).padStart(5)} ms ${(mib / (ms / 1000)).toFixed(0).padStart(5)} MiB/s  ${(curlMs / ms).toFixed(2)}x curl   [${values.map((v) => v.toFixed(0)).join(" ")}]\n`,
  );
}
