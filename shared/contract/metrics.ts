// Contract for the metrics domain: its calls and streams are declared here and merged in ./index.ts.
export const metricsCalls = {};
export const metricsStreams = {};
