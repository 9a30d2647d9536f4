// Kept apart so that the API handlers can read it without importing the core that creates them.
export const APP_VERSION = '0.1.0';
