import type { Static, TSchema } from "@sinclair/typebox";
import { TypeCompiler, type TypeCheck } from "@sinclair/typebox/compiler";

const cache = new WeakMap<TSchema, TypeCheck<TSchema>>();

/** Compiled validator for a schema, built once per schema (validation sits on the bus hot path). */
export function checker<T extends TSchema>(schema: T): TypeCheck<T> {
  let c = cache.get(schema);
  if (!c) {
    c = TypeCompiler.Compile(schema);
    cache.set(schema, c);
  }
  return c as TypeCheck<T>;
}

/** First validation error as `path: message`, for logs and API errors. */
export function firstError<T extends TSchema>(schema: T, value: unknown): string | undefined {
  const err = checker(schema).Errors(value).First();
  return err ? `${err.path || "/"}: ${err.message}` : undefined;
}

export function isValid<T extends TSchema>(schema: T, value: unknown): value is Static<T> {
  return checker(schema).Check(value);
}
