/** Install the generated project's dependencies with the chosen package manager (execa, imported lazily). */
import type { PackageManager } from "../options/schema.js";
import { spinner, type Io } from "../ui.js";
import { host } from "../host.js";

export interface StepOutcome {
  name: string;
  status: "ok" | "skipped" | "failed";
  detail?: string;
  command?: string;
}

export async function installDependencies(dir: string, pm: PackageManager, io: Io): Promise<StepOutcome> {
  const command = `${pm} install`;
  const { execa } = await host.modules.execa();
  const spin = spinner(io, `Installing dependencies with ${pm}…`);
  try {
    await execa(pm, ["install"], { cwd: dir, all: true, env: { ...process.env, npm_config_fund: "false", npm_config_audit: "false" } });
    spin.stop(`✔ Installed dependencies (${command})`);
    return { name: "install", status: "ok", command };
  } catch (err) {
    const e = err as { all?: string; shortMessage?: string; code?: string };
    spin.stop(`✖ ${command} failed`);
    const reason = e.code === "ENOENT" ? `${pm} is not installed or not on PATH` : (e.all ?? e.shortMessage ?? String(err)).trim();
    return { name: "install", status: "failed", detail: reason, command };
  }
}
