/** The softphone feature's public face: what the home screen and the agent bar wire in. */
export { AgentStateSelector, AgentStateControl } from './agent-state-selector';
export { CallButton, CallButtonIfOnLine, DialBox, SoftphoneStoreContext } from './call-button';
export { createBrowserNotifier, type Notifier } from './notifier';
export { createSimulatorSoftphone } from './simulator-softphone';
export type { Softphone, SoftphoneEvent, AudioDevices } from './softphone';
export { SoftphonePanel, type SoftphonePanelProps } from './softphone-panel';
export { portOk, portRefusal, type PortResult, type SoftphonePort, type TransferMode, type TransferTarget } from './softphone-port';
export { createSoftphoneStore, lineIsDown, type SoftphoneStore } from './softphone-store';
export { loadTwilioDevice } from './twilio-device-loader';
export { createTwilioSoftphone, UK_EDGES, CALL_ID_PARAMETER } from './twilio-softphone';
export type { Disposition } from './wrap-up-panel';
