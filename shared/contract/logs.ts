// Contract for the logs domain: its calls and streams are declared here and merged in ./index.ts.
export const logsCalls = {};
export const logsStreams = {};
