import type { z } from 'zod';

/** A request/response call: params in, one result out. */
export interface CallDef<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  params: P;
  result: R;
}

/** A server-pushed stream: params in, events out until the engine ends it or the UI unsubscribes. */
export interface StreamDef<P extends z.ZodType = z.ZodType, E extends z.ZodType = z.ZodType> {
  params: P;
  event: E;
}

export const call = <P extends z.ZodType, R extends z.ZodType>(params: P, result: R): CallDef<P, R> => ({
  params,
  result,
});

export const stream = <P extends z.ZodType, E extends z.ZodType>(params: P, event: E): StreamDef<P, E> => ({
  params,
  event,
});
