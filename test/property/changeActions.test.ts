/**
 * Property tests of the actions that contain and provision (see actionProperties.ts);
 * the actions that run and inspect are in runAndInspectActions.test.ts.
 */
import { ACTION_GROUPS } from "../../src/actions/registry.js";
import { describeActionProperties } from "./actionProperties.js";

describeActionProperties(
  "contain and provision actions",
  [...ACTION_GROUPS]
    .filter(([, group]) => group === "contain" || group === "provision")
    .map(([name]) => name),
);
