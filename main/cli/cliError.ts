/** An error the command line reports as one line and a non-zero exit, without a stack. */
export class CliError extends Error {}

/** The command was written wrongly (an option's form, two options that exclude each other): exit code 2, as for a bad command. */
export class UsageError extends CliError {}
