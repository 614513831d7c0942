/** Streams `event.chunks` (default 4) lines, `event.pause_ms` (default 100) apart. */
export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const chunks = Number(event?.chunks ?? 4);
  const pause = Number(event?.pause_ms ?? 100);
  for (let i = 1; i <= chunks; i++) {
    await responseStream.write(`slow ${i}\n`);
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
  responseStream.end();
});
