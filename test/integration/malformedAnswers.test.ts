/**
 * Answers in AWS's shape but with the wrong types inside (a list that is an object, a
 * list item that is null) are the endpoint's fault, not the connector's: endpoint_error
 * naming the operation, never internal_error. Over real HTTP to a server on 127.0.0.1.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keysAsset } from "../fixtures.js";
import { runAction } from "./harness.js";

describe("answers of the right shape with the wrong types inside", () => {
  let server: Server;
  let url = "";
  const state = { body: "{}" };

  beforeAll(async () => {
    server = createServer((_request, response) => {
      response.writeHead(200, {
        "content-type": "application/json",
        "x-amzn-requestid": "44444444-5555-4666-8777-888888888888",
      });
      response.end(state.body);
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", () => done()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  });

  it.each([
    ["list_functions", "ListFunctions", {}, { Functions: [null] }],
    ["list_functions", "ListFunctions", {}, { Functions: { a: 1 } }],
    ["list_layers", "ListLayers", {}, { Layers: "not a list" }],
    [
      "get_function",
      "GetFunction",
      { function_name: "echo" },
      { Configuration: { FunctionName: "echo", Layers: { Arn: "x" } } },
    ],
  ])("%s answered %s with %j: endpoint_error", async (action, operation, inputs, body) => {
    state.body = JSON.stringify(body);

    const run = await runAction(action, {
      asset: { ...keysAsset, endpoint_url: url },
      inputs,
    });

    expect(run.exitCode).toBe(1);
    expect(run.error?.code).toBe("endpoint_error");
    expect(run.error?.message).toContain(operation);
  });
});
