/** The one way a value reaches shell text: single-quoted, with embedded single quotes spliced as '\''. */

/** Quotes `value` as one bash word that expands to exactly `value`. NUL cannot be passed to a program, so it is refused. */
export function quote(value: string): string {
  if (value.includes("\0")) throw new Error("internal: a NUL byte cannot be passed to the shell");
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
