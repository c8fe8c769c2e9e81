/** The subcommands (src/program.ts runs them); anything else is the scaffold command. */
export const SUBCOMMANDS = ["log-group", "check"] as const;
export type Subcommand = (typeof SUBCOMMANDS)[number];

export function isSubcommand(arg: string | undefined): arg is Subcommand {
  return (SUBCOMMANDS as readonly (string | undefined)[]).includes(arg);
}
