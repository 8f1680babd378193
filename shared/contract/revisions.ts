// Contract for the revisions domain: its calls and streams are declared here and merged in ./index.ts.
export const revisionsCalls = {};
export const revisionsStreams = {};
