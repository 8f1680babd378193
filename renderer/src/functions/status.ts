import type { FunctionStatus } from '../../../shared/contract/functions';

export const STATUS_LABEL: Record<FunctionStatus, string> = {
  Ready: 'Ready',
  Building: 'Building',
  Deploying: 'Deploying',
  Failed: 'Failed',
  ScaledToZero: 'Scaled to zero',
  Unknown: 'Unknown',
};
