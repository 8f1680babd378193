export function electronBinary(packageDir: string, env?: NodeJS.ProcessEnv): { path: string | null; why: string | null };
