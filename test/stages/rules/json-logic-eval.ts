/**
 * A tiny JSON Logic evaluator for the tests — the subset rules use, with json-logic-js's
 * semantics (comparisons and equality are JavaScript's own operators, `and` returns the first
 * falsy value or the last one), except that `var` reads its name as a plain key, not a dotted path.
 */
export type Data = Readonly<Record<string, unknown>>;

export function evaluateJsonLogic(logic: unknown, data: Data): unknown {
  if (logic === null || typeof logic !== 'object' || Array.isArray(logic)) return logic;
  const entries = Object.entries(logic);
  if (entries.length !== 1) throw new Error(`not a JSON Logic operation: ${JSON.stringify(logic)}`);
  const [op, rawArgs] = entries[0];
  const args: unknown[] = Array.isArray(rawArgs) ? rawArgs : [rawArgs];
  if (op === 'var') {
    const key = String(args[0]);
    return Object.prototype.hasOwnProperty.call(data, key) ? data[key] : null;
  }
  if (op === 'and') {
    let last: unknown = true;
    for (const a of args) {
      last = evaluateJsonLogic(a, data);
      if (!last) return last;
    }
    return last;
  }
  if (op === '!') return !evaluateJsonLogic(args[0], data);
  const [a, b] = args.map((x) => evaluateJsonLogic(x, data)) as [any, any];
  switch (op) {
    case '==':
      return a == b;
    case '!=':
      return a != b;
    case '===':
      return a === b;
    case '!==':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    default:
      throw new Error(`unsupported JSON Logic operator ${op}`);
  }
}
