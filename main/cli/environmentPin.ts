// EOFFICE_PIN: the token PIN a script gives the command line (it is never an argument, which the
// process list and the shell history would show). It is moved out of process.env as the command
// starts, so that nothing the command starts (LibreOffice converting a draft…) inherits it; every
// child is also given core/secrets/childEnvironment.ts, which leaves it out whoever started eOffice.
let taken: string | undefined;

/** The PIN from EOFFICE_PIN, if one was given; the first call takes it out of process.env. */
export function takeEnvironmentPin(): string | undefined {
  const value = process.env.EOFFICE_PIN;
  if (value !== undefined) {
    delete process.env.EOFFICE_PIN;
    taken = value || undefined;
  }
  return taken;
}
