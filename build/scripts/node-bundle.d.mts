import type { BuildOptions } from 'esbuild';
import type { Plugin } from 'vite';

export function nodeBundleOptions(version: string): BuildOptions;
export function bundleProgram(entry: string): Promise<{ text: string; version: string }>;
export function viteProgramPlugin(): Plugin;
