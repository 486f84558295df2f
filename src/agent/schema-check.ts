/**
 * A small JSON Schema check for tool arguments: `type`, `required`, `properties`, `enum`,
 * `items` and `additionalProperties: false`. Models mostly break exactly these, and the
 * subset keeps tool specs plain JSON Schema that both LLM APIs accept unchanged.
 */
import type { JsonSchema } from '../providers/types.js';

/** List what is wrong with `value` against `schema`; an empty list means it is valid. */
export function checkSchema(value: unknown, schema: JsonSchema, path = 'arguments'): string[] {
  const problems: string[] = [];
  const type = schema.type;
  if (typeof type === 'string' && !hasType(value, type)) {
    return [`${path} must be of type ${type}, got ${describe(value)}`];
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => option === value)) {
    problems.push(`${path} must be one of ${schema.enum.map((option) => JSON.stringify(option)).join(', ')}`);
  }
  if (isRecord(value) && type === 'object') problems.push(...checkObject(value, schema, path));
  if (Array.isArray(value) && isRecord(schema.items)) {
    value.forEach((item, index) => problems.push(...checkSchema(item, schema.items as JsonSchema, `${path}[${index}]`)));
  }
  return problems;
}

function checkObject(value: Record<string, unknown>, schema: JsonSchema, path: string): string[] {
  const problems: string[] = [];
  const properties = isRecord(schema.properties) ? (schema.properties as Record<string, JsonSchema>) : {};
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];

  for (const name of required) {
    if (value[name] === undefined) problems.push(`${path}.${name} is missing`);
  }
  for (const [name, item] of Object.entries(value)) {
    const propertySchema = properties[name];
    if (propertySchema) problems.push(...checkSchema(item, propertySchema, `${path}.${name}`));
    else if (schema.additionalProperties === false) problems.push(`${path}.${name} is not allowed`);
  }
  return problems;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return isRecord(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    default:
      return true;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}
