// Contract for the functions domain: its calls and streams are declared here and merged in ./index.ts.
export const functionsCalls = {};
export const functionsStreams = {};
