import { stringify } from "yaml";

/** Objects as one multi-document YAML file, under a comment saying where they come from and what they are. */
export function toYaml(objects: readonly object[], comment: string): string {
  const header = comment
    .trim()
    .split("\n")
    .map((l) => `# ${l}`.trimEnd())
    .join("\n");
  // lineWidth 0: never fold long strings (haproxy.cfg, SQL, the k6 bundle stay as written).
  const docs = objects.map((o) =>
    stringify(o, { lineWidth: 0, blockQuote: "literal", aliasDuplicateObjects: false }).trimEnd(),
  );
  return `${header}\n${docs.map((d) => `---\n${d}`).join("\n")}\n`;
}
