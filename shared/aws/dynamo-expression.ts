/**
 * Placeholders for DynamoDB expressions. Every attribute name goes through `#n<i>` (the store's
 * attributes include reserved words such as `status`, `state`, `key`, `rows` and `owner`, and tally
 * keys contain dashes) and every value through `:v<i>`.
 */

/** Collects names and values while an expression is built. */
export interface ExpressionBuilder {
  /** A placeholder for one attribute name (the same name always gets the same placeholder). */
  name(attribute: string): string;
  /** A placeholder for a document path, e.g. `path('tally', 'outcomes', 'accepted')`. */
  path(...attributes: string[]): string;
  /** A placeholder for a value. */
  value(value: unknown): string;
  /** `<path> IN (:a, :b...)`; DynamoDB needs at least one value. */
  isOneOf(path: string, values: readonly unknown[]): string;
  readonly names: Record<string, string>;
  /** Undefined when no value was used (DynamoDB refuses an empty map). */
  values(): Record<string, unknown> | undefined;
}

/** Starts an empty expression. */
export function expressionBuilder(): ExpressionBuilder {
  const names: Record<string, string> = {};
  const placeholderOf = new Map<string, string>();
  const values: Record<string, unknown> = {};
  let valueCount = 0;
  const name = (attribute: string): string => {
    let placeholder = placeholderOf.get(attribute);
    if (!placeholder) {
      placeholder = `#n${placeholderOf.size}`;
      placeholderOf.set(attribute, placeholder);
      names[placeholder] = attribute;
    }
    return placeholder;
  };
  const value = (v: unknown): string => {
    const placeholder = `:v${valueCount++}`;
    values[placeholder] = v;
    return placeholder;
  };
  return {
    name,
    path: (...attributes) => attributes.map(name).join('.'),
    value,
    isOneOf(path, list) {
      if (list.length === 0) throw new Error('an IN condition needs at least one value');
      return `${path} IN (${list.map(value).join(', ')})`;
    },
    names,
    values: () => (valueCount === 0 ? undefined : values),
  };
}
