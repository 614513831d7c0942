// Shared vitest setup: registers the aws-sdk-client-mock matchers.
import { allCustomMatcherWithAliases, type CustomMatcher } from "aws-sdk-client-mock-vitest";
import { expect } from "vitest";

// With aliases, so both `toHaveReceivedCommandWith` and the shorter `toReceiveCommandWith` work.
expect.extend(allCustomMatcherWithAliases);

declare module "vitest" {
  // biome-ignore lint/suspicious/noExplicitAny: must repeat vitest's own `Matchers<T = any>` to merge with it.
  interface Matchers<T = any> extends CustomMatcher<T> {}
}
