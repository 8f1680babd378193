// Contract for the events domain: its calls and streams are declared here and merged in ./index.ts.
export const eventsCalls = {};
export const eventsStreams = {};
