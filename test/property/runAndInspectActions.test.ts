/**
 * Property tests of the actions that run and inspect functions (see actionProperties.ts);
 * the actions that contain and provision are in changeActions.test.ts, so that the two
 * halves run side by side on two cores.
 */
import { ACTION_LIST } from "../../src/actions/actionList.js";
import { describeActionProperties } from "./actionProperties.js";

describeActionProperties(
  "run and inspect actions",
  ACTION_LIST.filter(({ group }) => group === "run" || group === "inspect").map(({ name }) => name),
);
