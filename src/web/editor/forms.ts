/** Form fields as @fastify/formbody gives them (one string, or a list for a repeated name), and query strings alike. */
type FormBody = Record<string, string | string[] | undefined>;

/** The field's value (the first, when repeated); '' when absent. */
export function field(body: unknown, name: string): string {
  const value = (body as FormBody | undefined)?.[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** Every value of a repeated field (checkboxes). */
export function fields(body: unknown, name: string): string[] {
  const value = (body as FormBody | undefined)?.[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
