/**
 * JSON as runs write it: two-space indent, trailing newline, typed arrays as plain arrays,
 * non-finite numbers as null. Key order is the order objects were built in, which the stages
 * keep fixed, so the same run gives byte-identical files.
 */
export function stableJson(value: unknown): string {
  return (
    JSON.stringify(
      value,
      (_key, v: unknown) => {
        if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
        if (typeof v === 'number' && !Number.isFinite(v)) return null;
        return v;
      },
      2,
    ) + '\n'
  );
}
