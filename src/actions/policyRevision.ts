import { z } from "zod";

/*
 * The `revision_id` guard of the policy changes (add_permission, remove_permission): its
 * input, its member of the command, and the hint when AWS refuses it.
 */

/**
 * The optional `revision_id` guard of a policy change: the change is made only while the
 * policy (or what `of` names, read with `readWith`) is still at that revision, so it
 * cannot race another change. `change` says what is made, e.g. "add it".
 */
export function revisionIdInput(change: string, of = "the policy", readWith = "get_policy") {
  return z
    .string({ error: "must be a string" })
    .min(1, "must not be empty")
    .optional()
    .meta({
      title: "Revision ID",
      description: `Only ${change} if ${of} is still at this revision (${readWith}'s revision_id); otherwise AWS refuses (PreconditionFailedException).`,
    });
}

/** The `RevisionId` member of a policy change's command, only when the input sets one. */
export function revisionIdOf(inputs: { revision_id?: string | undefined }): {
  RevisionId?: string;
} {
  return inputs.revision_id === undefined ? {} : { RevisionId: inputs.revision_id };
}

/** The hint of a policy change refused because the policy moved past `revision_id`. */
export const revisionHints = {
  PreconditionFailedException:
    "The policy changed since revision_id was read: run get_policy again and use its revision_id.",
};
