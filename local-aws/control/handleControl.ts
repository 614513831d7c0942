import { z } from "zod";
import type { Faults } from "../Faults.js";
import type { Reply } from "../http/Reply.js";
import { IAM_OPERATIONS } from "../iam/IamOperation.js";
import { LAMBDA_OPERATIONS } from "../lambda/LambdaOperation.js";
import { STS_OPERATIONS } from "../sts/StsOperation.js";

const service = z.enum(["lambda", "sts", "iam"]).optional();
/** Checked against `service` when the fault is queued: Invoke for Lambda, any STS action, by default. */
const operation = z
  .enum([...LAMBDA_OPERATIONS, ...STS_OPERATIONS, ...IAM_OPERATIONS, "*"])
  .optional();
const count = z.number().int().min(1).default(1);

/** The body of `POST /__local/faults`: one fault kind, how many requests it hits, and its options. */
export const faultRequestSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("throttle"),
    count,
    service,
    operation,
    reason: z.string().min(1).optional(),
    retryAfterSeconds: z.number().int().min(0).optional(),
  }),
  z.strictObject({
    kind: z.literal("fail"),
    count,
    service,
    operation,
    status: z.number().int().min(400).max(599).default(500),
    code: z.string().min(1).optional(),
    message: z.string().min(1).optional(),
  }),
  z.strictObject({
    kind: z.literal("reset"),
    count,
    service,
    operation,
    when: z.enum(["before", "after"]).default("before"),
  }),
  z.strictObject({ kind: z.literal("delay"), count, service, operation, ms: z.number().min(0) }),
  z.strictObject({
    kind: z.literal("raw"),
    count,
    service,
    operation,
    status: z.number().int().min(200).max(599),
    body: z.string(),
    contentType: z.string().min(1).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    requestId: z.boolean().optional(),
  }),
]);

/** What the control surface can see and change. */
export interface ControlDependencies {
  faults: Faults;
  /** The endpoint's counters and request log, as `GET /__local/state` shows them. */
  state: () => object;
}

function json(status: number, value: unknown): Reply {
  return {
    kind: "respond",
    status,
    headers: { "content-type": "application/json" },
    body: `${JSON.stringify(value, null, 2)}\n`,
  };
}

function addFault(body: Buffer, faults: Faults): Reply {
  let input: unknown;
  try {
    input = JSON.parse(body.toString("utf8"));
  } catch {
    return json(400, { error: 'The body must be JSON, e.g. {"kind": "throttle", "count": 2}' });
  }
  const parsed = faultRequestSchema.safeParse(input);
  if (!parsed.success) {
    return json(400, { error: z.prettifyError(parsed.error) });
  }
  const fault = parsed.data;
  try {
    switch (fault.kind) {
      case "throttle":
        faults.throttleNext(fault.count, fault);
        break;
      case "fail":
        faults.failNext(fault.count, fault.status, fault);
        break;
      case "reset":
        faults.resetNext(fault.count, fault.when, fault);
        break;
      case "delay":
        faults.delayNext(fault.count, fault.ms, fault);
        break;
      case "raw":
        faults.rawNext(fault.count, fault);
        break;
    }
  } catch (error) {
    // An operation of the other service, or a header Node would refuse to send.
    return json(400, { error: (error as Error).message });
  }
  return json(200, { pending: faults.pending() });
}

/**
 * The unsigned control surface of a separately started endpoint, for demos and tests
 * that cannot reach the {@link LocalAws} object: `POST /__local/faults` queues a fault,
 * `DELETE /__local/faults` clears them, `GET /__local/state` shows counters and requests.
 */
export function handleControl(
  method: string,
  path: string,
  body: Buffer,
  deps: ControlDependencies,
): Reply {
  if (path === "/__local/faults" && method === "POST") {
    return addFault(body, deps.faults);
  }
  if (path === "/__local/faults" && method === "DELETE") {
    deps.faults.clear();
    return json(200, { pending: [] });
  }
  if (path === "/__local/state" && method === "GET") {
    return json(200, deps.state());
  }
  return json(404, {
    error: `No control route ${method} ${path}; try POST /__local/faults, DELETE /__local/faults or GET /__local/state`,
  });
}
