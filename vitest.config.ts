import { defineConfig } from 'vitest/config';
import { viteProgramPlugin } from './build/scripts/node-bundle.mjs';

// `?bundle` imports (in-cluster programs such as the namespace gateway) are bundled the same way as in the build.
const plugins = [viteProgramPlugin()];

export default defineConfig({
  test: {
    projects: [
      {
        plugins,
        test: {
          name: 'unit',
          include: ['electron/**/*.test.ts', 'shared/**/*.test.ts', 'renderer/src/**/*.test.{ts,tsx}', 'test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        plugins,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 300_000,
          // One cluster: integration files run one at a time so they do not starve each other.
          fileParallelism: false,
        },
      },
      {
        // `npm run bench` (bench/run.mjs): speed figures beside same-run baselines; never part of `npm test`.
        plugins,
        test: {
          name: 'bench',
          include: ['bench/cases/**/*.ts'],
          environment: 'node',
          testTimeout: 900_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
