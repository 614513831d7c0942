import type { Reply } from "../http/Reply.js";
import { lambdaError } from "./lambdaError.js";

/**
 * The constraint violations of one request, collected as Lambda's model validation
 * reports them: every failing member at once, in one 400 ValidationException.
 *
 * @example
 * ```ts
 * const problems = new ValidationProblems();
 * problems.add(-1, "reservedConcurrentExecutions", "Member must have value greater than or equal to 0");
 * problems.reply();
 * // 400 ValidationException: "1 validation error detected: Value '-1' at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 0"
 * ```
 */
export class ValidationProblems {
  private readonly found: string[] = [];

  /** Notes that `value` (undefined when missing) at `member` breaks `constraint`. */
  add(value: unknown, member: string, constraint: string): void {
    const shown =
      value === undefined || value === null
        ? "null"
        : `'${typeof value === "string" ? value : JSON.stringify(value)}'`;
    this.found.push(`Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`);
  }

  /** The ValidationException naming every problem, or undefined when there is none. */
  reply(): Reply | undefined {
    if (this.found.length === 0) {
      return undefined;
    }
    const count = `${this.found.length} validation error${this.found.length === 1 ? "" : "s"}`;
    return lambdaError(400, "ValidationException", `${count} detected: ${this.found.join("; ")}`);
  }
}
