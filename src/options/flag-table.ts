/** The README's flag reference, rendered from the schema (a test keeps the README equal to it). */
import { SCHEMA, OPTION_KEYS } from "./schema.js";

function defaultCell(key: (typeof OPTION_KEYS)[number]): string {
  const spec = SCHEMA[key];
  if (spec.defaultLabel) return spec.defaultLabel;
  const v = spec.default({}, {});
  if (v === undefined) return "—";
  if (typeof v === "boolean") return v ? "on" : "off";
  return `\`${String(v)}\``;
}

export function renderFlagTable(): string {
  const rows = OPTION_KEYS.map((key) => {
    const spec = SCHEMA[key];
    let flag = key === "directory" ? "`[directory]`" : `\`--${spec.flag}${spec.arg ? ` ${spec.arg}` : ""}\``;
    if (spec.short) flag = `\`-${spec.short}\`, ${flag}`;
    if (spec.kind === "boolean" && key !== "yes") flag += `, \`--no-${spec.flag}\``;
    for (const alias of spec.negativeAliases ?? []) flag += `, \`--${alias}\``;
    return `| ${flag} | ${spec.description.replace(/\|/g, "\\|")} | ${defaultCell(key).replace(/\|/g, "\\|")} |`;
  });
  return [
    "| flag | meaning | default |",
    "|---|---|---|",
    ...rows,
    "| `--config <file.json>` | Answers file: a JSON object of options by name (`logRetention`) or flag (`log-retention`); flags override it | — |",
    "| `-h`, `--help` / `-v`, `--version` | Help / version | — |",
  ].join("\n");
}
