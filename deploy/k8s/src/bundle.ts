import { buildSync } from "esbuild";

const SCRIPT = new URL("../../../scenarios/k6/script.js", import.meta.url);

/**
 * scenarios/k6/script.js and what it imports (options.js, ../journey-logic.js) as one file. The k6-operator mounts
 * a script ConfigMap flat at /test, where `../journey-logic.js` would not resolve; one file needs no layout, in
 * the initializer pod as in the runners, whatever the operator's version. Nothing is transformed (no target
 * lowering, no minifying): the bundle is the same plain ES2015+ code k6 runs from the repository, k6's own modules
 * left as imports.
 */
export function bundleK6Script(): string {
  const out = buildSync({
    entryPoints: [SCRIPT.pathname],
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    external: ["k6", "k6/*"],
    minify: false,
    legalComments: "none",
    charset: "utf8",
    logLevel: "silent",
  });
  const file = out.outputFiles[0];
  if (!file) throw new Error("esbuild produced no bundle of scenarios/k6/script.js");
  return `// statebench k6 script, bundled from scenarios/k6/script.js by deploy/k8s (npm run k8s -- run).\n${file.text}`;
}
