/** One line per thing worth knowing, to stdout (the engine shows the gateway's log). */
export type Log = (message: string) => void;

export const log: Log = (message) => {
  process.stdout.write(`${new Date().toISOString()} ${message}\n`);
};
