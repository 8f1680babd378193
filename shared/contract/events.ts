import { z } from 'zod';
import { stream } from './define';

/** One Kubernetes Event (core/v1), reduced to what a person reads. */
export const KubeEvent = z.object({
  uid: z.string(),
  /** Normal or Warning. */
  type: z.string(),
  reason: z.string(),
  message: z.string(),
  involvedObject: z.object({
    kind: z.string(),
    name: z.string(),
    namespace: z.string().nullable(),
  }),
  count: z.number().int(),
  /** ISO times; lastSeen orders the list. */
  firstSeen: z.string().nullable(),
  lastSeen: z.string().nullable(),
  /** The component that reported it (kubelet, default-scheduler, ...). */
  source: z.string().nullable(),
});
export type KubeEvent = z.infer<typeof KubeEvent>;

export const EventsWatchParams = z.object({
  /** involvedObject.kind, e.g. Pod or Deployment. */
  kind: z.string().max(100).optional(),
  /** involvedObject.name exactly. */
  name: z.string().max(253).optional(),
  /** Events of every object of a function: involvedObject.name equals it or starts with "<function>-". */
  function: z.string().max(63).optional(),
  /** Most events kept (newest first). */
  limit: z.number().int().min(1).max(1000).optional(),
});
export type EventsWatchParams = z.infer<typeof EventsWatchParams>;

/** The whole current list each time (newest first), at most a few times a second. */
export const EventsSnapshot = z.object({
  events: z.array(KubeEvent),
  /** More events matched than `limit`; the oldest were left out. */
  truncated: z.boolean(),
});
export type EventsSnapshot = z.infer<typeof EventsSnapshot>;

export const eventsCalls = {};
export const eventsStreams = {
  /** Events in the selected namespace; ends when the selection changes. */
  'events.watch': stream(EventsWatchParams, EventsSnapshot),
};
