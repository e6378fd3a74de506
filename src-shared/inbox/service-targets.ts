import { z } from 'zod';
import type { Channel } from '../domain/case-types';

/** The channels a contact reaches the shared inbox by. A general enquiry by phone is in the inbox too, under phone. */
export const inboxChannels = ['web', 'sms', 'email', 'social', 'phone'] as const satisfies readonly Channel[];

const minutes = z.number().int().min(5).max(14 * 24 * 60);

/**
 * How soon a contact should have its answer, by the channel it came by, in minutes from when it arrived. People
 * expect social media and text messages to be answered within hours and a web form or an email within a working day.
 */
export const serviceTargetsSchema = z.object({ web: minutes, sms: minutes, email: minutes, social: minutes, phone: minutes }).strict();
export type ServiceTargets = z.infer<typeof serviceTargetsSchema>;

export const DEFAULT_SERVICE_TARGETS: ServiceTargets = { social: 120, sms: 240, web: 24 * 60, email: 24 * 60, phone: 24 * 60 };

/** Where a contact stands against its target: minutes left (negative when overdue). */
export function minutesLeft(createdAt: string, channel: Channel, targets: ServiceTargets, now: number): number {
  const due = Date.parse(createdAt) + targets[channel] * 60_000;
  return Math.floor((due - now) / 60_000);
}

/** "1 h 20", "35 min", "2 d 3 h": short enough for a list row. */
export function formatMinutes(total: number): string {
  const m = Math.max(0, Math.floor(total));
  if (m < 60) return `${m} min`;
  const hours = Math.floor(m / 60);
  const rest = m % 60;
  if (hours < 48) return rest === 0 ? `${hours} h` : `${hours} h ${String(rest).padStart(2, '0')}`;
  const days = Math.floor(hours / 24);
  const h = hours % 24;
  return h === 0 ? `${days} d` : `${days} d ${h} h`;
}

/** "due in 1 h 20" or "overdue by 35 min", and whether it is overdue. */
export function dueText(createdAt: string, channel: Channel, targets: ServiceTargets, now: number): { text: string; overdue: boolean } {
  const left = minutesLeft(createdAt, channel, targets, now);
  return left >= 0 ? { text: `due in ${formatMinutes(left)}`, overdue: false } : { text: `overdue by ${formatMinutes(-left)}`, overdue: true };
}
