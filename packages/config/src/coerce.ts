import type { TSchema } from "@sinclair/typebox";

/** Turns an environment string into the type the schema wants; unknown shapes stay strings. */
export function coerceEnv(schema: TSchema, raw: string): unknown {
  const type = schema.type as string | undefined;
  if (type === "integer" || type === "number") {
    const n = Number(raw);
    return raw.trim() === "" || Number.isNaN(n) ? raw : n;
  }
  if (type === "boolean") {
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    return raw;
  }
  if (type === "array") {
    const items = raw.split(",").map((s) => s.trim()).filter((s) => s !== "");
    return items.map((item) => coerceEnv(schema.items as TSchema, item));
  }
  return raw;
}

/** Allowed values of a schema, in words, for error messages. */
export function describeAllowed(schema: TSchema): string {
  if (schema.anyOf) return (schema.anyOf as TSchema[]).map((s) => JSON.stringify(s.const)).join(" | ");
  const parts: string[] = [String(schema.type ?? "value")];
  if (schema.minimum !== undefined) parts.push(`>= ${schema.minimum}`);
  if (schema.maximum !== undefined) parts.push(`<= ${schema.maximum}`);
  if (schema.pattern) parts.push(`matching ${schema.pattern}`);
  if (schema.maxLength !== undefined) parts.push(`at most ${schema.maxLength} characters`);
  if (schema.description) parts.push(`(${schema.description})`);
  return parts.join(" ");
}
