/** Logs far more than the 4 KB that `LogType: Tail` returns, so the tail is visibly cut. */
export const handler = async (event) => {
  const lines = Number(event?.lines ?? 120);
  for (let i = 1; i <= lines; i++) {
    console.log(
      `chatty line ${String(i).padStart(3, "0")} of ${lines}: the quick brown fox jumps over the lazy dog`,
    );
  }
  return { lines };
};
