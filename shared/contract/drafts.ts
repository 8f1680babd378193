// Contract for the drafts domain: its calls and streams are declared here and merged in ./index.ts.
export const draftsCalls = {};
export const draftsStreams = {};
