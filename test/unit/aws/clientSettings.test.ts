import { Readable } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { collectBody, explicitClientSettings } from "../../../src/aws/clientSettings.js";

const bytes = (text: string) => new Uint8Array(Buffer.from(text));

describe("collectBody", () => {
  it("joins a Node stream's chunks into its bytes", async () => {
    const body = Readable.from([Buffer.from("one "), Buffer.from("two "), Buffer.from("three")]);

    const collected = await collectBody(body);

    expect(new Uint8Array(collected)).toEqual(bytes("one two three"));
  });

  it("gives a Node stream's one chunk as its bytes", async () => {
    const body = Readable.from([Buffer.from("only")]);

    expect(new Uint8Array(await collectBody(body))).toEqual(bytes("only"));
  });

  it("gives no bytes for an empty Node stream", async () => {
    expect((await collectBody(Readable.from([]))).byteLength).toBe(0);
  });

  it("rejects with the stream's error", async () => {
    // Prepare: one chunk, then the connection's failure.
    const failure = new Error("socket hang up");
    const body = new Readable({ read() {} });
    body.push(Buffer.from("partial"));

    // Act
    const collected = collectBody(body);
    body.destroy(failure);

    // Assess
    await expect(collected).rejects.toBe(failure);
  });

  it.each([
    ["a Blob", () => new Blob([bytes("from "), bytes("a blob")])],
    [
      "a web ReadableStream",
      () =>
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(bytes("from "));
            controller.enqueue(bytes("a blob"));
            controller.close();
          },
        }),
    ],
  ])("hands %s to the SDK's collector, which gives its bytes", async (_, body) => {
    expect(new Uint8Array(await collectBody(body()))).toEqual(bytes("from a blob"));
  });
});

describe("explicitClientSettings", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("turns FIPS and dual-stack endpoints off, names no auth scheme preference and states the attempts", () => {
    expect(explicitClientSettings(5)).toMatchObject({
      useFipsEndpoint: false,
      useDualstackEndpoint: false,
      authSchemePreference: [],
      maxAttempts: 5,
      streamCollector: collectBody,
    });
  });

  it("takes the user agent's application id from AWS_SDK_UA_APP_ID, when it is set", async () => {
    vi.stubEnv("AWS_SDK_UA_APP_ID", "turbine-tenant-7");

    expect(await explicitClientSettings(3).userAgentAppId()).toBe("turbine-tenant-7");
  });

  it("gives no application id without AWS_SDK_UA_APP_ID", async () => {
    vi.stubEnv("AWS_SDK_UA_APP_ID", undefined);

    expect(await explicitClientSettings(3).userAgentAppId()).toBeUndefined();
  });
});
