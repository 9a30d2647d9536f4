/** An error the command line reports as one line and a non-zero exit, without a stack. */
export class CliError extends Error {}
