/**
 * Whether every node of `value` (the value itself, each element and each property
 * value, containers and leaves) passes `accept` and lies at most `maxDepth` levels
 * below `value`, which is level 0.
 *
 * Walked depth first without recursion (a value may nest thousands deep), holding one
 * frame per level: the nodes of a wide level are never gathered into lists, which for
 * a 6 MB payload of records were tens of MB of garbage, long-lived enough to grow the
 * heap.
 *
 * @example
 * ```ts
 * jsonNodesWithin({ a: { b: 1 } }, 2); // true: 1 is two levels down
 * jsonNodesWithin({ a: { b: 1 } }, 1); // false
 * jsonNodesWithin([1, Infinity], 5, (node) => node !== Infinity); // false
 * ```
 */
export function jsonNodesWithin(
  value: unknown,
  maxDepth: number,
  accept: (node: unknown) => boolean = () => true,
): boolean {
  if (!accept(value)) {
    return false;
  }
  const containers: object[] = [];
  const keys: (string[] | undefined)[] = [];
  const positions: number[] = [];
  const enter = (node: unknown) => {
    if (typeof node === "object" && node !== null) {
      containers.push(node);
      keys.push(Array.isArray(node) ? undefined : Object.keys(node));
      positions.push(0);
    }
  };
  enter(value);
  while (containers.length > 0) {
    const top = containers.length - 1;
    const container = containers[top] as Record<string | number, unknown> & { length?: number };
    const own = keys[top];
    const position = positions[top] ?? 0;
    const length = own === undefined ? (container.length ?? 0) : own.length;
    if (position >= length) {
      containers.pop();
      keys.pop();
      positions.pop();
      continue;
    }
    positions[top] = position + 1;
    // The child is one level below its container, which is `top` levels down.
    if (top + 1 > maxDepth) {
      return false;
    }
    const child = container[own === undefined ? position : (own[position] as string)];
    if (!accept(child)) {
      return false;
    }
    enter(child);
  }
  return true;
}
