import { describe, expect, it } from "vitest";
import {
  RUNTIME_DEPRECATIONS,
  runtimeStanding,
} from "../../../../src/actions/assess_function_security/runtimes.js";

const NOW = Date.parse("2026-03-01T12:00:00Z");

describe("runtimeStanding", () => {
  it.each([
    ["nodejs18.x", { status: "deprecated", deprecation_date: "2025-09-01", days: 181 }],
    ["ruby3.2", { status: "deprecating", deprecation_date: "2026-03-31", days: 29 }],
    ["nodejs20.x", { status: "deprecating", deprecation_date: "2026-04-30", days: 59 }],
    ["python3.11", { status: "supported", deprecation_date: "2026-06-30", days: 120 }],
    ["python3.13", { status: "supported", deprecation_date: "2029-06-30", days: 1216 }],
    ["cobol85", { status: "unknown" }],
  ])("%s on 2026-03-01 is %j", (runtime, standing) => {
    expect(runtimeStanding(runtime, NOW)).toEqual(standing);
  });

  it("warns exactly 90 days ahead, and not 91", () => {
    const deprecation = Date.parse("2026-06-30T00:00:00Z");

    expect(runtimeStanding("java17", deprecation - 90 * 86_400_000).status).toBe("deprecating");
    expect(runtimeStanding("java17", deprecation - 91 * 86_400_000).status).toBe("supported");
    expect(runtimeStanding("java17", deprecation).status).toBe("deprecating");
    expect(runtimeStanding("java17", deprecation + 1).status).toBe("deprecated");
  });

  it("dates every runtime of the table as a real calendar day", () => {
    for (const date of Object.values(RUNTIME_DEPRECATIONS)) {
      expect(new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10)).toBe(date);
    }
  });
});
