/**
 * Property tests of the actions that contain and provision (see actionProperties.ts);
 * the actions that run and inspect are in runAndInspectActions.test.ts.
 */
import { ACTION_LIST } from "../../src/actions/actionList.js";
import { describeActionProperties } from "./actionProperties.js";

describeActionProperties(
  "contain and provision actions",
  ACTION_LIST.filter(({ group }) => group === "contain" || group === "provision").map(
    ({ name }) => name,
  ),
);
