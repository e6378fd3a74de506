import { z } from 'zod';
import { queueIdSchema } from './model';

/**
 * Bodies of the central API's telephony routes (src-server/routes/telephony.ts), shared so the desktop's main
 * process builds exactly what the API validates. Setting a handler's own state uses `setAgentStateInputSchema`
 * from the agent-state contract.
 */

const idSchema = z.string().min(1).max(128);

export const transferTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('queue'), queueId: queueIdSchema }).strict(),
  z.object({ kind: z.literal('handler'), handlerId: idSchema }).strict(),
]);

export const holdRequestSchema = z.object({ on: z.boolean() }).strict();

/** Cold: the caller goes straight to the target. Warm: the handler consults the target first, then completes or cancels. */
export const transferRequestSchema = z.object({ mode: z.enum(['cold', 'warm']), target: transferTargetSchema }).strict();

export const wrapUpRequestSchema = z.object({ dispositionId: idSchema, caseId: idSchema.nullable().optional() }).strict();

export const linkCaseRequestSchema = z.object({ caseId: idSchema }).strict();

/** Click to call: any way a handler writes a number; the API normalises it to E.164 or refuses it. */
export const outboundCallRequestSchema = z.object({ to: z.string().min(1).max(40), caseId: idSchema.nullable().optional() }).strict();

/** A supervisor listens to a live call (muted), or whispers to its handler (only the handler hears). */
export const monitorRequestSchema = z.object({ mode: z.enum(['listen', 'whisper']) }).strict();

export const setSkillsRequestSchema = z.object({ queueIds: z.array(queueIdSchema).min(1).max(50) }).strict();

/** Calls per hour per queue id; at most one a second. */
export const simulatorRatesSchema = z.record(queueIdSchema, z.number().min(0).max(3600));

export const startSimulatorRequestSchema = z.object({ ratesPerHour: simulatorRatesSchema.optional() }).strict();
export const setSimulatorRatesRequestSchema = z.object({ ratesPerHour: simulatorRatesSchema }).strict();

export const simulatorStatusSchema = z.object({
  running: z.boolean(),
  ratesPerHour: z.record(z.string(), z.number()),
  callsGenerated: z.number().int().nonnegative(),
  callersOnLine: z.number().int().nonnegative(),
});

/** The softphone's Twilio Voice access token (identity = the signed-in handler, at most one hour). */
export const voiceTokenResponseSchema = z.object({
  token: z.string(),
  identity: z.string(),
  expiresIn: z.number().int().positive(),
  expiresAt: z.iso.datetime(),
});
