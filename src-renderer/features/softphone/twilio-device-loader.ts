import type { TwilioDeviceConstructor } from './twilio-softphone';

/**
 * Loads the real Voice SDK only when Twilio is the configured provider, so the simulator (the default) never pulls
 * WebRTC code into the window. The assignment below is also the typecheck that keeps the adapter's structural
 * types true to the SDK.
 */
export async function loadTwilioDevice(): Promise<TwilioDeviceConstructor> {
  const { Device } = await import('@twilio/voice-sdk');
  const constructor: TwilioDeviceConstructor = Device;
  return constructor;
}
