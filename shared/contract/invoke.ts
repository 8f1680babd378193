// Contract for the invoke domain: its calls and streams are declared here and merged in ./index.ts.
export const invokeCalls = {};
export const invokeStreams = {};
