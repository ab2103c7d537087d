/** The one string order of generated output: UTF-16 code units, as `<` compares, independent of locale. */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
