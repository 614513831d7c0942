// The runtime of a function's execution environment, run in its own worker thread so
// that a handler that loops or overruns its timeout can be terminated. Plain JavaScript
// on purpose: the worker starts under bare Node, whatever loader (tsx, vitest) runs the
// server. It loads the handler's module once and runs the invocation in `workerData`;
// a warm environment (`workerData.warm`) then waits for more, each sent as an `invoke`
// message, with the module and its globals kept as Lambda keeps them between
// invocations of one execution environment.
import { basename, extname } from "node:path";
import { pathToFileURL } from "node:url";
import { format } from "node:util";
import { parentPort, workerData } from "node:worker_threads";

const { code, warm } = workerData;

const heapMb = () => Math.ceil(process.memoryUsage().heapUsed / 1_048_576);

/**
 * The invocation under way: its context fields and whether it has settled. Between
 * invocations it is the last one, settled.
 */
let current = { info: workerData.invocation.context, settled: false };

// Lambda's Node runtime writes each console call as one line of
// `<time>\t<request id>\t<LEVEL>\t<message>`; the parent keeps them as the function's log.
function writer(level) {
  return (...args) => {
    const line = `${new Date().toISOString()}\t${current.info.awsRequestId}\t${level}\t${format(...args)}\n`;
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

function fail(error) {
  if (current.settled) {
    // Past the invocation's end: the environment is no longer one to reuse.
    parentPort.postMessage({ type: "stray" });
    return;
  }
  current.settled = true;
  parentPort.postMessage({ type: "failed", error, heapMb: heapMb() });
}

// Until the handler settles, a stray exception is the invocation's failure, as in Lambda.
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
  } else if (message?.type === "invoke") {
    void invoke(message.invocation);
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

/** The handler, or how loading it failed (then every invocation fails so). */
let handler;
let loadFailure;
try {
  const module = await import(pathToFileURL(code).href);
  handler = module.handler;
  if (typeof handler !== "function") {
    loadFailure = {
      errorType: "Runtime.HandlerNotFound",
      errorMessage: `${basename(code, extname(code))}.handler is undefined or not exported`,
      trace: [],
    };
  }
} catch (error) {
  const { errorType, errorMessage, trace } = describe(error);
  loadFailure = {
    errorType: "Runtime.ImportModuleError",
    errorMessage: `${errorType}: ${errorMessage}`,
    trace,
  };
}

async function invoke({ event, context: info, deadline }) {
  const invocation = { info, settled: false };
  current = invocation;
  if (loadFailure !== undefined) {
    fail(loadFailure);
    return;
  }
  const context = {
    ...info,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
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
  if (invocation.settled) {
    return;
  }
  try {
    // A streaming handler's response is what it wrote; its return value is dropped.
    const payload =
      handler[STREAMING] === true ? "" : JSON.stringify(result === undefined ? null : result);
    invocation.settled = true;
    // A write the handler did not wait for would take the next invocation's acks.
    const reusable = warm === true && waiting.length === 0;
    parentPort.postMessage({ type: "result", payload, heapMb: heapMb(), reusable });
  } catch (error) {
    fail({
      errorType: "Runtime.MarshalError",
      errorMessage: `Unable to stringify response body: ${describe(error).errorMessage}`,
      trace: [],
    });
  }
}

await invoke(workerData.invocation);
