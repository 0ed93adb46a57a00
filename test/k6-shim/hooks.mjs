// Module resolution hook (node:module register): sends the script's `k6`, `k6/http`, `k6/metrics` and
// `k6/execution` imports to the shim modules beside this file. Everything else resolves as usual.
const MODULES = {
  k6: "./modules/k6.ts",
  "k6/http": "./modules/http.ts",
  "k6/metrics": "./modules/metrics.ts",
  "k6/execution": "./modules/execution.ts",
};

export async function resolve(specifier, context, next) {
  const target = MODULES[specifier];
  // Handed on down the chain (not short-circuited) so tsx's hooks still compile the TypeScript shims.
  if (target) return next(new URL(target, import.meta.url).href, context);
  if (specifier.startsWith("k6/")) throw new Error(`k6 shim: module ${specifier} is not shimmed`);
  return next(specifier, context);
}
