/** What one invocation left behind, for its log. */
export interface InvocationLogInput {
  requestId: string;
  version: string;
  /** Lines the handler wrote, each already ending in a newline. */
  lines: string[];
  durationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  /** The runtime's error report, when the handler threw. */
  error?: { errorType: string; errorMessage: string; trace: string[] };
  /** The function's timeout, when the invocation ran into it. */
  timedOutAfterSeconds?: number;
}

/**
 * The invocation's log as Lambda writes it to CloudWatch: `START`, the handler's lines,
 * the runtime's error or timeout line, `END` and `REPORT`.
 *
 * @example
 * ```ts
 * formatInvocationLog({ requestId, version: "$LATEST", lines, durationMs: 12.3, memorySizeMb: 128, maxMemoryUsedMb: 9 });
 * // "START RequestId: … Version: $LATEST\n…END RequestId: …\nREPORT RequestId: …\tDuration: 12.30 ms\t…"
 * ```
 */
export function formatInvocationLog(input: InvocationLogInput): string {
  const { requestId } = input;
  const runtimeLines: string[] = [];
  if (input.error !== undefined) {
    const { errorType, errorMessage, trace } = input.error;
    const report = JSON.stringify({ errorType, errorMessage, stack: trace });
    runtimeLines.push(
      `${new Date().toISOString()}\t${requestId}\tERROR\tInvoke Error \t${report}\n`,
    );
  }
  if (input.timedOutAfterSeconds !== undefined) {
    runtimeLines.push(
      `${new Date().toISOString()} ${requestId} Task timed out after ${input.timedOutAfterSeconds.toFixed(2)} seconds\n`,
    );
  }
  const report = [
    `REPORT RequestId: ${requestId}`,
    `Duration: ${input.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${Math.ceil(input.durationMs)} ms`,
    `Memory Size: ${input.memorySizeMb} MB`,
    `Max Memory Used: ${input.maxMemoryUsedMb} MB`,
    ...(input.timedOutAfterSeconds === undefined ? [] : ["Status: timeout"]),
  ].join("\t");
  return [
    `START RequestId: ${requestId} Version: ${input.version}\n`,
    ...input.lines,
    ...runtimeLines,
    `END RequestId: ${requestId}\n`,
    `${report}\n`,
  ].join("");
}
