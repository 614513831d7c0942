/**
 * An endpoint that never stops paging cannot hold list_functions: a marker it gives a
 * second time, or an empty page that still has a marker, ends the walk after a request
 * or two (it sent 367,176 requests in 150 s before), and a page with more items than
 * asked for is cut to max_items. Over real HTTP to a small server on 127.0.0.1.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keysAsset, REGION } from "../fixtures.js";
import { runAction } from "./harness.js";

/** How the endpoint answers ListFunctions call number `call` with `MaxItems` asked. */
type Pages = (call: number, maxItems: number) => { names: string[]; next?: string };

describe("list_functions against an endpoint that keeps giving markers", () => {
  let server: Server;
  let url = "";
  const state: { pages: Pages; calls: number } = { pages: () => ({ names: [] }), calls: 0 };

  beforeAll(async () => {
    server = createServer((request, response) => {
      state.calls += 1;
      const maxItems = Number(new URL(request.url ?? "/", "http://x").searchParams.get("MaxItems"));
      const { names, next } = state.pages(state.calls, maxItems);
      response.writeHead(200, {
        "content-type": "application/json",
        "x-amzn-requestid": "33333333-4444-4555-8666-777777777777",
      });
      response.end(
        JSON.stringify({
          Functions: names.map((name) => ({
            FunctionName: name,
            FunctionArn: `arn:aws:lambda:${REGION}:123456789012:function:${name}`,
          })),
          ...(next === undefined ? {} : { NextMarker: next }),
        }),
      );
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", () => done()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  });

  const list = (inputs: Record<string, unknown>) => {
    state.calls = 0;
    return runAction("list_functions", {
      asset: { ...keysAsset, endpoint_url: url },
      inputs,
    });
  };

  it("the same marker again: endpoint_error after two requests", async () => {
    state.pages = () => ({ names: ["fn-a"], next: "same" });

    const run = await list({ max_items: 1000 });

    expect(run.exitCode).toBe(1);
    expect(run.error?.code).toBe("endpoint_error");
    expect(run.error?.message).toContain('the marker "same" a second time');
    expect(state.calls).toBe(2);
  });

  it("empty pages with a new marker each: stops at the first, truncated, resumable", async () => {
    state.pages = (call) => ({ names: [], next: `m-${call}` });

    const run = await list({ max_items: 1000 });

    expect(run.exitCode).toBe(0);
    expect(run.output).toMatchObject({ count: 0, truncated: true, next_marker: "m-1" });
    expect(state.calls).toBe(1);
  });

  it("more items than MaxItems asked: at most max_items, truncated", async () => {
    state.pages = () => ({ names: ["fn-a", "fn-b", "fn-c"] });

    const run = await list({ max_items: 1 });

    expect(run.exitCode).toBe(0);
    expect(run.output).toMatchObject({ count: 1, truncated: true });
    expect(run.output?.functions).toHaveLength(1);
  });
});
