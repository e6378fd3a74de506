export { ConversationPanel, hasConversation } from './conversation-panel';
export { createInboxStore, type InboxState } from './inbox-store';
export { InboxView } from './inbox-view';
