/**
 * The incident demo's exposed function: a partner webhook anyone may invoke, through
 * its resource policy and its unauthenticated function URL. Acknowledges what it got.
 */
export const handler = async (event) => {
  console.log(`webhook received ${JSON.stringify(event).length} bytes`);
  return { accepted: true, forwardedTo: process.env.FORWARD_TO, event };
};
