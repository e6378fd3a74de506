export { ModerationView } from './moderation-view';
export { ProviderReferral } from './provider-referral';
