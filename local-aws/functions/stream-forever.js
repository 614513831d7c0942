/** Streams a small chunk every 50 ms and never ends: only the caller's deadline stops it. */
export const handler = awslambda.streamifyResponse(async (_event, responseStream) => {
  for (let i = 1; ; i++) {
    await responseStream.write(`tick ${i}\n`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
});
