import type { BuildOptions, Plugin } from 'esbuild';

export const rawPlugin: Plugin;
export function nodeBundleOptions(version: string): BuildOptions;
