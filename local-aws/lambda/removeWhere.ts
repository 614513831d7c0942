/**
 * Removes the entries of `list` that `doomed` picks, in place, so that whoever holds the
 * list (a test holding `aws.world.functions`) sees the change.
 *
 * @example
 * ```ts
 * removeWhere(world.functions, (fn) => fn.name === "echo");
 * ```
 */
export function removeWhere<T>(list: T[] | undefined, doomed: (entry: T) => boolean): void {
  if (list === undefined) {
    return;
  }
  for (let index = list.length - 1; index >= 0; index--) {
    if (doomed(list[index] as T)) {
      list.splice(index, 1);
    }
  }
}
