// node-plop imports inquirer 9 at load time for its own prompt layer, which this CLI never uses
// (prompts come from @inquirer/prompts, loaded lazily). The bundle aliases "inquirer" to this module
// so the non-interactive path does not load rxjs and inquirer (two thirds of node-plop's load time).
const unavailable = () => {
  throw new Error("node-plop prompts are not used by create-fargate-service");
};
export default { prompt: unavailable, registerPrompt: unavailable, createPromptModule: () => unavailable };
