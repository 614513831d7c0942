// The runtime of one invocation, run in its own worker thread so that a handler that
// loops or overruns its timeout can be terminated. Plain JavaScript on purpose: the
// worker starts under bare Node, whatever loader (tsx, vitest) runs the server.
import { basename, extname } from "node:path";
import { pathToFileURL } from "node:url";
import { format } from "node:util";
import { parentPort, workerData } from "node:worker_threads";

const { code, event, context: info, deadline } = workerData;

const heapMb = () => Math.ceil(process.memoryUsage().heapUsed / 1_048_576);

// Lambda's Node runtime writes each console call as one line of
// `<time>\t<request id>\t<LEVEL>\t<message>`; the parent keeps them as the function's log.
function writer(level) {
  return (...args) => {
    const line = `${new Date().toISOString()}\t${info.awsRequestId}\t${level}\t${format(...args)}\n`;
    parentPort.postMessage({ type: "log", line });
  };
}
console.log = writer("INFO");
console.info = writer("INFO");
console.warn = writer("WARN");
console.error = writer("ERROR");
console.debug = writer("DEBUG");
console.trace = writer("TRACE");

/** The runtime's error shape: `errorType` is the error's `name`, `trace` its stack lines. */
function describe(error) {
  if (error instanceof Error) {
    return {
      errorType: error.name,
      errorMessage: error.message,
      trace: (error.stack ?? "").split("\n"),
    };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

let settled = false;
function fail(error) {
  if (settled) return;
  settled = true;
  parentPort.postMessage({ type: "failed", error, heapMb: heapMb() });
}

// After the handler settles the parent terminates the worker; until then a stray
// exception is the invocation's failure, as in Lambda.
process.on("uncaughtException", (error) => fail(describe(error)));
process.on("unhandledRejection", (reason) => fail(describe(reason)));

// Lambda's Node runtime offers `awslambda.streamifyResponse(handler)` for handlers that
// stream their response: they are called with a response stream between the event and
// the context. Each write goes to the parent as a chunk and resolves once the parent took
// it, so a caller that reads slowly slows the handler (in Lambda, write returns a
// boolean, which `await` passes through unchanged).
const STREAMING = Symbol("streaming");
const waiting = [];
parentPort.on("message", (message) => {
  if (message?.type === "ack") {
    waiting.shift()?.();
  }
});
globalThis.awslambda = {
  streamifyResponse(streamingHandler) {
    streamingHandler[STREAMING] = true;
    return streamingHandler;
  },
};
const responseStream = {
  write(chunk) {
    const data = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk);
    return new Promise((resolve) => {
      waiting.push(() => resolve(true));
      parentPort.postMessage({ type: "chunk", data });
    });
  },
  // The stream ends when the handler returns, as Lambda ends it; end() only marks intent.
  end() {},
};

const context = {
  ...info,
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
};

let handler;
try {
  const module = await import(pathToFileURL(code).href);
  handler = module.handler;
} catch (error) {
  const { errorType, errorMessage, trace } = describe(error);
  fail({
    errorType: "Runtime.ImportModuleError",
    errorMessage: `${errorType}: ${errorMessage}`,
    trace,
  });
}

if (!settled && typeof handler !== "function") {
  fail({
    errorType: "Runtime.HandlerNotFound",
    errorMessage: `${basename(code, extname(code))}.handler is undefined or not exported`,
    trace: [],
  });
}

if (!settled) {
  parentPort.postMessage({ type: "started", heapMb: heapMb() });
  let result;
  try {
    result =
      handler[STREAMING] === true
        ? await handler(JSON.parse(event), responseStream, context)
        : await handler(JSON.parse(event), context);
  } catch (error) {
    fail(describe(error));
  }
  if (!settled) {
    try {
      // A streaming handler's response is what it wrote; its return value is dropped.
      const payload =
        handler[STREAMING] === true ? "" : JSON.stringify(result === undefined ? null : result);
      settled = true;
      parentPort.postMessage({ type: "result", payload, heapMb: heapMb() });
    } catch (error) {
      fail({
        errorType: "Runtime.MarshalError",
        errorMessage: `Unable to stringify response body: ${describe(error).errorMessage}`,
        trace: [],
      });
    }
  }
}
