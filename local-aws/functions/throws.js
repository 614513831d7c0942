class IndicatorLookupError extends Error {
  name = "IndicatorLookupError";
}

/** Always fails the way a real lookup fails: a custom error class the runtime reports. */
export const handler = async (event) => {
  const indicator = event?.indicator ?? "203.0.113.9";
  console.error(`lookup of ${indicator} failed upstream`);
  throw new IndicatorLookupError(`Threat feed returned HTTP 503 for ${indicator}`);
};
