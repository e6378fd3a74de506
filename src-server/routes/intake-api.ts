import type { FastifyInstance } from 'fastify';
import type { IntakeDeps } from '../intake/intake-config';
import { createIntakeStore, type IntakeChannel, type IntakeStore } from '../intake/intake-store';
import type { CentralStore } from '../store/central-store';
import { emailIntakeRoutes } from './intake-email';
import { replyRoutes } from './intake-replies';
import { registerSmsWebhook } from './intake-sms';
import { registerSocialWebhook, socialWebhookOperation } from './intake-social';
import { registerWebForm } from './intake-web';
import type { OperationSpec, RouteSpec } from './route-spec';

/** What every intake route shares: the settings, intake's writes to the store, the clock and the team a channel feeds. */
export interface IntakeContext {
  deps: IntakeDeps;
  intake: IntakeStore;
  clock: { now(): number };
  /** The team new contacts of this channel go to: the configured one if it exists, else the oldest team; null if none. */
  teamFor(channel: IntakeChannel): Promise<string | null>;
}

/**
 * Intake's part of the API: routes declared with the others (the email webhook and replies), and the ones with bodies
 * of their own (the HTML form, Twilio's form-encoded webhook, the social webhook whose signature covers the raw body),
 * registered in scopes of their own. OpenAPI lists the declared routes and the social webhook (`operations`); the
 * form is a page for people, and the SMS webhook is Twilio's callback, like the voice webhooks, so neither is listed.
 */
export function createIntakeApi(deps: IntakeDeps & { store: CentralStore; clock: { now(): number } }): {
  routes: RouteSpec[];
  operations: OperationSpec[];
  register(app: FastifyInstance): void;
} {
  const intake = createIntakeStore(deps.store, deps.clock);
  const context: IntakeContext = {
    deps,
    intake,
    clock: deps.clock,
    async teamFor(channel) {
      const configured = deps.teamIds?.[channel];
      if (configured && (await intake.teamExists(configured))) return configured;
      return intake.firstTeamId();
    },
  };
  return {
    routes: [...emailIntakeRoutes(context), ...replyRoutes(context)],
    operations: [socialWebhookOperation],
    register(app) {
      registerWebForm(app, context);
      registerSmsWebhook(app, context);
      registerSocialWebhook(app, context);
    },
  };
}
