import { z } from 'zod';

export const roles = ['handler', 'supervisor', 'admin'] as const;
export type Role = (typeof roles)[number];

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(roles),
  teamIds: z.array(z.string()),
  disabled: z.boolean(),
  createdAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

export const teamSchema = z.object({ id: z.string(), name: z.string(), createdAt: z.string() });
export type Team = z.infer<typeof teamSchema>;

export const PASSWORD_MIN_LENGTH = 12;

export const signInRequestSchema = z.object({ email: z.email().max(254), password: z.string().min(1).max(200) }).strict();
export const signInResponseSchema = z.object({
  accessToken: z.string(),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int().positive(),
  refreshToken: z.string(),
  user: userSchema,
});
export type SignInResponse = z.infer<typeof signInResponseSchema>;
export const refreshRequestSchema = z.object({ refreshToken: z.string().min(20).max(200) }).strict();

const passwordSchema = z.string().min(PASSWORD_MIN_LENGTH, `A password needs at least ${PASSWORD_MIN_LENGTH} characters.`).max(200);

export const createUserRequestSchema = z
  .object({
    email: z.email().max(254),
    name: z.string().trim().min(1).max(200),
    role: z.enum(roles),
    teamIds: z.array(z.string().min(1).max(128)).max(20),
    password: passwordSchema,
  })
  .strict();
export const updateUserRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    role: z.enum(roles).optional(),
    teamIds: z.array(z.string().min(1).max(128)).max(20).optional(),
    disabled: z.boolean().optional(),
    /** A new password, for someone who has forgotten theirs: it ends their refresh tokens. */
    password: passwordSchema.optional(),
    /** Lifts a lock-out after repeated wrong passwords (a new password lifts it too). */
    unlock: z.literal(true).optional(),
  })
  .strict();
export const createTeamRequestSchema = z.object({ name: z.string().trim().min(1).max(100) }).strict();
