/** Sleeps `event.seconds` (default 1); its 3-second timeout makes longer sleeps time out. */
export const handler = async (event, context) => {
  const seconds = Number(event?.seconds ?? 1);
  console.log(`sleeping ${seconds}s with ${context.getRemainingTimeInMillis()} ms left`);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  return { slept: seconds };
};
