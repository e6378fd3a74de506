import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createBrowserNotifier } from '../../../src-renderer/features/softphone/notifier';
import { SoftphonePanel } from '../../../src-renderer/features/softphone/softphone-panel';
import { createSoftphoneStore } from '../../../src-renderer/features/softphone/softphone-store';
import { createTwilioSoftphone } from '../../../src-renderer/features/softphone/twilio-softphone';
import { fakePort, FakeTwilioCall, FakeTwilioDevice, makeOffer, ME, T0 } from './fakes';

beforeEach(() => {
  FakeTwilioDevice.instances = [];
  FakeTwilioDevice.failRegisterWith = null;
});

async function twilioScreen() {
  const fake = fakePort();
  const phone = createTwilioSoftphone({ Device: FakeTwilioDevice, fetchToken: async () => ({ ok: true, value: 'token' }), port: fake.port });
  const store = createSoftphoneStore({ port: fake.port, softphone: phone, handlerId: ME, now: () => T0 });
  const notifier = { prepare: vi.fn(), notify: vi.fn() };
  render(<SoftphonePanel store={store} now={T0} dispositions={[]} ringtoneSrc="/ringtone.ogg" notifier={notifier} isHidden={() => false} />);
  await act(() => store.getState().connect());
  const device = FakeTwilioDevice.instances.at(-1)!;
  return { fake, store, device, user: userEvent.setup() };
}

describe('the audio settings of the Twilio softphone', () => {
  it('lists the devices and sends the ringtone and the call sound where the handler chooses', async () => {
    const { device, user } = await twilioScreen();
    const opener = screen.getByRole('button', { name: 'Audio settings' });
    await user.click(opener);
    const dialog = screen.getByRole('dialog', { name: 'Audio settings' });
    expect(within(dialog).getByLabelText('Microphone')).toHaveFocus();
    await user.selectOptions(within(dialog).getByLabelText('Microphone'), 'Headset microphone');
    await user.selectOptions(within(dialog).getByLabelText('Call sound'), 'Headset');
    await user.selectOptions(within(dialog).getByLabelText('Ringtone'), 'Desk speaker');
    expect(device.audio.setInputDevice).toHaveBeenCalledWith('headset-mic');
    expect(device.audio.speakerDevices.set).toHaveBeenCalledWith('headset');
    expect(device.audio.ringtoneDevices.set).toHaveBeenCalledWith('desk-speaker');
    expect(within(dialog).getByLabelText('Ringtone')).toHaveValue('desk-speaker');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(opener).toHaveFocus();
  });

  it('does not ring over Twilio’s own ringtone, and shows quality warnings during the call', async () => {
    const { fake, device, store, user } = await twilioScreen();
    act(() => fake.emit({ type: 'offer', offer: makeOffer() }));
    expect(screen.queryByTestId('ringtone')).not.toBeInTheDocument();
    const leg = new FakeTwilioCall({ callId: 'call-1' });
    act(() => device.emit('incoming', leg));
    await user.click(screen.getByRole('button', { name: 'Answer' }));
    expect(leg.accept).toHaveBeenCalled();
    act(() => leg.emit('warning', 'constant-audio-input-level', {}));
    expect(screen.getByTestId('quality-banner')).toHaveTextContent('Your microphone is not picking anything up.');
    act(() => leg.emit('warning-cleared', 'constant-audio-input-level'));
    expect(screen.getByTestId('quality-banner')).toBeEmptyDOMElement();
    store.dispose();
  });
});

describe('the browser notifier', () => {
  function fakeNotification(permission: NotificationPermission) {
    const shown: { title: string; options?: NotificationOptions }[] = [];
    class FakeNotification {
      static permission = permission;
      static requestPermission = vi.fn(async () => FakeNotification.permission);
      onclick: ((this: Notification, event: Event) => unknown) | null = null;
      constructor(title: string, options?: NotificationOptions) {
        shown.push({ title, options });
      }
    }
    return { FakeNotification, shown };
  }

  it('asks for permission once, however often it is prepared', () => {
    const { FakeNotification } = fakeNotification('default');
    const notifier = createBrowserNotifier(FakeNotification);
    notifier.prepare();
    notifier.prepare();
    expect(FakeNotification.requestPermission).toHaveBeenCalledTimes(1);
  });

  it('shows a notification when allowed and stays quiet when not', () => {
    const granted = fakeNotification('granted');
    createBrowserNotifier(granted.FakeNotification).notify({ title: 'Incoming call', body: 'Questions is ringing.' });
    expect(granted.shown).toEqual([{ title: 'Incoming call', options: expect.objectContaining({ body: 'Questions is ringing.' }) }]);
    expect(granted.FakeNotification.requestPermission).not.toHaveBeenCalled();

    const denied = fakeNotification('denied');
    const notifier = createBrowserNotifier(denied.FakeNotification);
    notifier.prepare();
    notifier.notify({ title: 'Incoming call', body: 'Questions is ringing.' });
    expect(denied.shown).toEqual([]);
    expect(denied.FakeNotification.requestPermission).not.toHaveBeenCalled();
  });
});
