import { z } from 'zod';

/**
 * The states a handler chooses for themselves on the agent bar. Routing adds ringing, on call, wrap-up and
 * not responding, which the line sets, never the handler.
 */
export const selectableAgentStates = ['available', 'break', 'offline'] as const;
export type SelectableAgentState = (typeof selectableAgentStates)[number];

export const breakReasons = ['Lunch', 'Comfort break', 'Training', 'Team meeting', 'Admin'] as const;

export const agentStateSchema = z.object({
  state: z.enum(selectableAgentStates),
  /** Set only for a break, so the supervisor sees why someone is away. */
  reason: z.enum(breakReasons).nullable(),
  since: z.iso.datetime(),
});
export type AgentState = z.infer<typeof agentStateSchema>;

export const setAgentStateInputSchema = z
  .discriminatedUnion('state', [
    z.object({ state: z.literal('available') }).strict(),
    z.object({ state: z.literal('offline') }).strict(),
    z.object({ state: z.literal('break'), reason: z.enum(breakReasons) }).strict(),
  ]);
export type SetAgentStateInput = z.infer<typeof setAgentStateInputSchema>;
