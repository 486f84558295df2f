/** Loading of operator tool modules: TS or JS files that export a Tool or a Tool[]. */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ToolError } from './errors.js';
import type { Tool } from './tools.js';

/**
 * Import a module and return its tools, taken from the `default`, `tools` or `tool`
 * export (each a Tool or a Tool[]). A relative path is resolved against `baseDir`.
 * TypeScript modules load when the process runs under tsx or vitest.
 */
export async function loadToolModule(path: string, baseDir: string): Promise<Tool[]> {
  const absolute = isAbsolute(path) ? path : resolve(baseDir, path);
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
  } catch (error) {
    throw new ToolError(path, 'invalid_module', `tool module ${absolute} could not be imported`, { cause: error });
  }
  const exported = module.default ?? module.tools ?? module.tool;
  if (exported === undefined) {
    throw new ToolError(path, 'invalid_module', `tool module ${absolute} has no default, tools or tool export`);
  }
  const candidates = Array.isArray(exported) ? exported : [exported];
  return candidates.map((candidate, index) => checkTool(candidate, `${absolute}#${index}`));
}

/** Load several modules in order; the first invalid one rejects the whole list. */
export async function loadToolModules(paths: string[], baseDir: string): Promise<Tool[]> {
  const tools: Tool[] = [];
  for (const path of paths) tools.push(...(await loadToolModule(path, baseDir)));
  return tools;
}

function checkTool(candidate: unknown, where: string): Tool {
  const tool = candidate as Partial<Tool> | null;
  const spec = tool?.spec;
  const valid =
    typeof spec?.name === 'string' &&
    typeof spec.description === 'string' &&
    typeof spec.parameters === 'object' &&
    spec.parameters !== null &&
    typeof tool?.run === 'function';
  if (!valid || !tool) {
    throw new ToolError(where, 'invalid_module', `export ${where} is not a tool: it needs spec.name, spec.description, spec.parameters and run()`);
  }
  // A tool that does not say whether it reads customer data is treated as if it does.
  return { spec: tool.spec!, personal: tool.personal ?? true, run: tool.run!.bind(tool) };
}
