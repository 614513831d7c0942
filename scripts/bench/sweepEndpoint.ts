/**
 * The sweep benchmark's endpoint, in a process of its own as AWS is: the local endpoint
 * with the sweep world, AWS-like rate limits and answer latency. Prints its URL on one
 * stdout line, then serves until stdin closes, and then prints the CPU time serving took
 * (`cpu_ms <n>`).
 *
 *   node --import tsx scripts/bench/sweepEndpoint.ts <functions per region> <requests/s> <burst> <latency ms>
 */
import { startLocalAws } from "../../local-aws/LocalAws.js";
import { sweepWorld } from "../../local-aws/sweepWorld.js";

const [perRegion, requestsPerSecond, burst, latencyMs] = process.argv.slice(2).map(Number);
const aws = await startLocalAws({
  world: sweepWorld({ functionsPerRegion: perRegion ?? 0 }),
  rateLimit: { requestsPerSecond: requestsPerSecond ?? 50, burst: burst ?? 10 },
  latencyMs: latencyMs ?? 0,
});
process.stdout.write(`${aws.url}\n`);
// What serving cost, from here to the end, printed on one more line when stdin closes.
const served = process.cpuUsage();
process.stdin.resume();
process.stdin.on("end", () => {
  const cpu = process.cpuUsage(served);
  process.stdout.write(`cpu_ms ${Math.round((cpu.user + cpu.system) / 1000)}\n`, () => {
    void aws.close().then(() => process.exit(0));
  });
});
