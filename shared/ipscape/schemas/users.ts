/** User and agent presence schemas. */
import { z } from 'zod';
import { cursorPage } from './common';

export const userSchema = z.looseObject({
  userId: z.number().int(),
  userTimezone: z.string().nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  username: z.string().nullish(),
  isLoggedIn: z.boolean().nullish(),
  userType: z.string().nullish(),
  email: z.string().nullish(),
  teams: z.unknown().optional(),
  assignedCampaigns: z.unknown().optional(),
  status: z.string().nullish(),
  timeInStatus: z.unknown().optional(),
  accountIsActive: z.boolean().nullish(),
});
export type User = z.infer<typeof userSchema>;

export const listUsersResponseSchema = cursorPage(userSchema);

export const listUsersQuerySchema = z.strictObject({
  cursor: z.string().nullish(),
  userType: z.string().nullish(),
  accountActive: z.boolean().nullish(),
});
export type ListUsersQuery = z.infer<typeof listUsersQuerySchema>;

export const agentPresenceSchema = z.strictObject({
  agentId: z.number().int(),
  available: z.boolean(),
});
export type AgentPresence = z.infer<typeof agentPresenceSchema>;

/** The echo of update agent presence, read loosely. */
export const agentPresenceResponseSchema = agentPresenceSchema.loose();
