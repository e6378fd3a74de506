import type { Actor } from '../store/central-store';
import type { LiveAudience } from './live-bus';

/**
 * Whether a live event may go to this person. Every condition must hold: a named user gets only their own (a
 * handler never sees another handler's offer), teams must overlap unless the event is for every team, and
 * supervisor-only events never reach a handler.
 */
export function audienceAdmits(audience: LiveAudience, actor: Actor): boolean {
  if (audience.minRole === 'supervisor' && actor.role !== 'supervisor' && actor.role !== 'admin') return false;
  if (audience.userId !== null && audience.userId !== actor.userId) return false;
  if (audience.teamIds !== null && !audience.teamIds.some((teamId) => actor.teamIds.includes(teamId))) return false;
  return true;
}
