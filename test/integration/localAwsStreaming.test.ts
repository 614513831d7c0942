import {
  InvokeCommand,
  InvokeWithResponseStreamCommand,
  LambdaClient,
  type LambdaServiceException,
} from "@aws-sdk/client-lambda";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DEMO_USER } from "../../local-aws/defaultWorld.js";
import { useLocalAws } from "./harness.js";

/** The local endpoint itself, through the plain SDK: what the connector's tests build on. */
describe("the local endpoint's response streams and throttle rate", () => {
  const aws = useLocalAws();
  let client: LambdaClient | undefined;

  const lambda = () => {
    client ??= new LambdaClient({
      endpoint: aws().url,
      region: "us-east-1",
      credentials: {
        accessKeyId: DEMO_USER.accessKeyId,
        secretAccessKey: DEMO_USER.secretAccessKey,
      },
      maxAttempts: 1,
    });
    return client;
  };

  afterEach(() => {
    aws().faults.clear();
  });

  it("frames each write of a streaming handler as a PayloadChunk and ends with InvokeComplete", async () => {
    const response = await lambda().send(
      new InvokeWithResponseStreamCommand({
        FunctionName: "stream-chunks",
        Payload: JSON.stringify({ shape: "text", chunks: 3 }),
      }),
    );

    const events: string[] = [];
    for await (const event of response.EventStream ?? []) {
      events.push(
        event.PayloadChunk === undefined
          ? `complete ${JSON.stringify(event.InvokeComplete)}`
          : Buffer.from(event.PayloadChunk.Payload ?? []).toString("utf8"),
      );
    }

    expect(response.ExecutedVersion).toBe("$LATEST");
    expect(events).toEqual(["line 1 of 3\n", "line 2 of 3\n", "line 3 of 3\n", "complete {}"]);
  });

  it("sends the whole result of a handler that does not stream as one chunk", async () => {
    const response = await lambda().send(
      new InvokeWithResponseStreamCommand({ FunctionName: "echo", Payload: '{"hi":1}' }),
    );

    const chunks: string[] = [];
    for await (const event of response.EventStream ?? []) {
      if (event.PayloadChunk?.Payload !== undefined) {
        chunks.push(Buffer.from(event.PayloadChunk.Payload).toString("utf8"));
      }
    }

    expect(chunks).toHaveLength(1);
    expect(JSON.parse(chunks[0] ?? "")).toMatchObject({ event: { hi: 1 } });
  });

  it("stops the handler when the reader hangs up", async () => {
    // Prepare
    const hangUp = new AbortController();
    const response = await lambda().send(
      new InvokeWithResponseStreamCommand({ FunctionName: "stream-forever" }),
      { abortSignal: hangUp.signal },
    );

    // Act: read one chunk, then hang up.
    for await (const event of response.EventStream ?? []) {
      expect(event.PayloadChunk).toBeDefined();
      break;
    }
    hangUp.abort();

    // Assess: the endpoint finished the call (it logs it once the stream ends).
    await vi.waitFor(() => expect(aws().requests.at(-1)?.action).toBe("InvokeWithResponseStream"));
  });

  it("refuses an Event invocation of InvokeWithResponseStream", async () => {
    const error = (await lambda()
      .send(
        new InvokeWithResponseStreamCommand({
          FunctionName: "stream-chunks",
          InvocationType: "Event" as "RequestResponse",
        }),
      )
      .catch((caught: unknown) => caught)) as LambdaServiceException;

    expect(error.name).toBe("ValidationException");
  });

  it("throttles the given share of invokes, repeatably, with Retry-After", async () => {
    // Prepare
    const outcomes = async () => {
      aws().faults.clear();
      aws().faults.throttleRate(0.25, { retryAfterSeconds: 3, seed: 7 });
      const seen: string[] = [];
      for (let i = 0; i < 40; i++) {
        const outcome = await lambda()
          .send(new InvokeCommand({ FunctionName: "echo", InvocationType: "DryRun" }))
          .then(
            () => "ok",
            (error: LambdaServiceException & { retryAfterSeconds?: string }) =>
              `${error.name} ${error.retryAfterSeconds}`,
          );
        seen.push(outcome);
      }
      return seen;
    };

    // Act
    const first = await outcomes();
    const second = await outcomes();

    // Assess
    const throttled = first.filter((outcome) => outcome !== "ok");
    expect(throttled.length).toBeGreaterThan(2);
    expect(throttled.length).toBeLessThan(20);
    expect(new Set(throttled)).toEqual(new Set(["TooManyRequestsException 3"]));
    expect(second).toEqual(first);
  });
});
