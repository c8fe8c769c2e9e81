/**
 * Terminal prompts with @inquirer/prompts, imported only when a prompt is actually shown.
 * Each prompt validates with the schema's own parser and validator (see resolve.ts → PromptRequest.validate).
 */
import { CancelledError, type PromptFn, type PromptRequest } from "./resolve.js";
import { host } from "../host.js";

export const inquirerPrompt: PromptFn = async (req: PromptRequest) => {
  const inquirer = await host.modules.prompts();
  const message = req.spec.prompt?.message ?? req.key;
  try {
    switch (req.spec.prompt?.type) {
      case "select":
        return await inquirer.select({
          message,
          choices: req.choices ?? [],
          default: req.default === undefined ? undefined : String(req.default),
        });
      case "confirm":
        return await inquirer.confirm({ message, default: Boolean(req.default) });
      case "number":
      case "input":
      default:
        return await inquirer.input({
          message,
          default: req.default === undefined ? undefined : String(req.default),
          validate: (raw: string) => req.validate(raw),
        });
    }
  } catch (err) {
    if ((err as Error).name === "ExitPromptError" || (err as Error).name === "AbortPromptError") throw new CancelledError();
    throw err;
  }
};
