// The environment a child process of eOffice (LibreOffice converting a draft, taskkill…) is given:
// eOffice's own, without the variables that carry secrets. A script may hand the command line the
// token PIN in EOFFICE_PIN (an account's password in EOFFICE_PASSWORD), and the desktop app or the web host may be started from a shell that
// exports it; no other program needs it, and one that crashes or logs would spread it.
const SECRET_VARIABLES = new Set(['EOFFICE_PIN', 'EOFFICE_PASSWORD']);

/** Every place that starts a process passes this as its `env`. */
export function childEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  // Windows' variable names are case-insensitive: "eoffice_pin" is the same variable there.
  return Object.fromEntries(Object.entries(env).filter(([name]) => !SECRET_VARIABLES.has(name.toUpperCase())));
}
