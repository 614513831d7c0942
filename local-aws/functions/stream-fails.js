/** Streams two chunks, then fails: the completion event carries the error. */
export const handler = awslambda.streamifyResponse(async (_event, responseStream) => {
  await responseStream.write('{"partial":');
  await responseStream.write("true");
  console.error("feed went away mid-stream");
  throw new Error("feed went away");
});
