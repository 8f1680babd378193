import type { BuildOptions } from 'esbuild';

export function nodeBundleOptions(version: string): BuildOptions;
