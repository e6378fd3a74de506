import { z } from 'zod';
import { caseTypes } from '../domain/case-types';
import { categories } from '../domain/categories';
import { roles } from './people';

/**
 * Reference data as the central API holds it, serves it to administrators, and sends it to desks in pulled changes
 * (`data` of a 'provider', 'category', 'queue', 'disposition' or 'user' change has exactly these shapes). One
 * declaration for the API, the sync payloads and the desk that applies them, so the three cannot drift apart.
 */

/** An id an administrator may choose: short, lower-case words joined by hyphens (`callback-needed`). */
const slug = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Use lower-case letters, digits and single hyphens, like callback-needed.');
const name = z.string().trim().min(1).max(200);
const departments = z
  .array(z.string().trim().min(1).max(120))
  .max(200)
  .transform((list) => [...new Set(list)].sort((a, b) => a.localeCompare(b)));

export const apiProviderSchema = z.object({
  id: z.string(),
  /** ODS-style organisation code, unique across providers (`RJ7`). */
  odsCode: z.string(),
  name: z.string(),
  kind: z.string(),
  departments: z.array(z.string()),
  /** Where the provider's team takes feedback; shown to administrators, not needed to log a case. */
  contactEmail: z.string().nullable(),
  active: z.boolean(),
});
export type ApiProvider = z.infer<typeof apiProviderSchema>;

export const apiCategorySchema = z.object({
  id: z.enum(categories),
  label: z.string(),
  /** Fixed by the domain rule (see categories.ts), sent so a desk need not know the rule's version. */
  highPriorityAllowed: z.boolean(),
  sortOrder: z.number().int(),
  active: z.boolean(),
});
export type ApiCategory = z.infer<typeof apiCategorySchema>;

export const apiQueueSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The case type the queue serves (routing offers its calls to handlers with that skill); null for any. */
  caseType: z.enum(caseTypes).nullable(),
  active: z.boolean(),
});
export type ApiQueue = z.infer<typeof apiQueueSchema>;

export const apiDispositionSchema = z.object({
  id: z.string(),
  label: z.string(),
  /** Whether a contact wrapped up with it counts as resolved (cost per resolved query, first-contact resolution). */
  resolves: z.boolean(),
  sortOrder: z.number().int(),
  active: z.boolean(),
});
export type ApiDisposition = z.infer<typeof apiDispositionSchema>;

/**
 * A user as the desks of one team see them: enough to show a name and offer a reassignment, never an email address or
 * anything about the password. One change per team: `member` false says the user has left that team.
 */
export const teamUserChangeSchema = z.object({
  id: z.string(),
  teamId: z.string(),
  name: z.string(),
  role: z.enum(roles),
  active: z.boolean(),
  member: z.boolean(),
});
export type TeamUserChange = z.infer<typeof teamUserChangeSchema>;

export const referenceDataResponseSchema = z.object({
  categories: z.array(apiCategorySchema),
  providers: z.array(apiProviderSchema),
  queues: z.array(apiQueueSchema),
  dispositions: z.array(apiDispositionSchema),
});
export type ReferenceDataResponse = z.infer<typeof referenceDataResponseSchema>;

export const createProviderRequestSchema = z
  .object({
    id: slug.optional(),
    odsCode: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9]{3,10}$/, 'An organisation code is 3 to 10 letters and digits, like RJ7.'),
    name,
    kind: z.string().trim().min(1).max(60),
    departments: departments.default([]),
    contactEmail: z.email().max(254).nullable().default(null),
    active: z.boolean().default(true),
  })
  .strict();
export type CreateProviderRequest = z.output<typeof createProviderRequestSchema>;

export const updateProviderRequestSchema = z
  .object({
    odsCode: createProviderRequestSchema.shape.odsCode.optional(),
    name: name.optional(),
    kind: z.string().trim().min(1).max(60).optional(),
    departments: departments.optional(),
    contactEmail: z.email().max(254).nullable().optional(),
    active: z.boolean().optional(),
  })
  .strict();
export type UpdateProviderRequest = z.output<typeof updateProviderRequestSchema>;

export const createQueueRequestSchema = z
  .object({ id: slug.optional(), name, caseType: z.enum(caseTypes).nullable(), active: z.boolean().default(true) })
  .strict();
export type CreateQueueRequest = z.output<typeof createQueueRequestSchema>;

export const updateQueueRequestSchema = z
  .object({ name: name.optional(), caseType: z.enum(caseTypes).nullable().optional(), active: z.boolean().optional() })
  .strict();
export type UpdateQueueRequest = z.output<typeof updateQueueRequestSchema>;

export const createDispositionRequestSchema = z
  .object({ id: slug.optional(), label: name, resolves: z.boolean(), sortOrder: z.number().int().min(0).max(10_000).optional(), active: z.boolean().default(true) })
  .strict();
export type CreateDispositionRequest = z.output<typeof createDispositionRequestSchema>;

export const updateDispositionRequestSchema = z
  .object({ label: name.optional(), resolves: z.boolean().optional(), sortOrder: z.number().int().min(0).max(10_000).optional(), active: z.boolean().optional() })
  .strict();
export type UpdateDispositionRequest = z.output<typeof updateDispositionRequestSchema>;

/** Categories are the domain's: an administrator may rename one for the line's wording, or retire it. */
export const updateCategoryRequestSchema = z.object({ label: name.optional(), active: z.boolean().optional() }).strict();
export type UpdateCategoryRequest = z.output<typeof updateCategoryRequestSchema>;
