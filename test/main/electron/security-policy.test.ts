import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  decideWindowOpen,
  isAllowedExternalUrl,
  isAppUrl,
  isPermissionCheckAllowed,
  isPermissionGranted,
  senderRefusal,
  shouldRefuseNavigation,
  type SenderFacts,
} from '../../../src-main/electron/security-policy';

describe('isAppUrl', () => {
  it.each([APP_ENTRY_URL, `${APP_ORIGIN}/`, `${APP_ORIGIN}/assets/index-abc123.js`, `${APP_ORIGIN}/index.html?x=1#top`])(
    'accepts %s as the app origin',
    (url) => {
      expect(isAppUrl(url)).toBe(true);
    },
  );

  it.each([
    ['a file:// page', 'file:///C:/app/index.html'],
    ['the same path over http', 'http://care-desk/index.html'],
    ['the same path over https', 'https://care-desk/index.html'],
    ['another host on the app scheme', 'app://other-host/index.html'],
    ['a lookalike host on the app scheme', 'app://care-desk.evil.example/index.html'],
    ['credentials before the app host', 'app://user:pw@care-desk/index.html'],
    ['a user name alone before the app host', 'app://user@care-desk/index.html'],
    ['the app host on another port', 'app://care-desk:8080/index.html'],
    ['an empty string', ''],
    ['text that is not a URL', 'care-desk/index.html'],
  ])('refuses %s', (_label, url) => {
    expect(isAppUrl(url)).toBe(false);
  });
});

describe('isAllowedExternalUrl and decideWindowOpen', () => {
  it('opens an https link on an allowlisted origin in the system browser and still denies the window', () => {
    const url = 'https://www.nhs.uk/conditions/asthma/';
    expect(isAllowedExternalUrl(url)).toBe(true);
    expect(decideWindowOpen(url)).toEqual({ action: 'deny', openExternally: true });
  });

  it.each([
    ['the http version of an allowlisted site', 'http://www.nhs.uk/conditions/asthma/'],
    ['a lookalike host that starts with an allowlisted one', 'https://www.nhs.uk.evil.com/conditions/'],
    ['a lookalike host that ends with an allowlisted one', 'https://evilwww.nhs.uk/'],
    ['a sub-domain that is not itself allowlisted', 'https://phishing.www.nhs.uk/'],
    ['credentials in the URL', 'https://user:secret@www.nhs.uk/'],
    ['a user name in the URL', 'https://attacker@www.nhs.uk/'],
    ['an allowlisted host on another port', 'https://www.nhs.uk:8443/'],
    ['a javascript: URL', 'javascript:alert(document.cookie)'],
    ['a file: URL', 'file:///etc/passwd'],
    ['a data: URL', 'data:text/html,<script>alert(1)</script>'],
    ['the app origin itself', APP_ENTRY_URL],
    ['a host that is not allowlisted', 'https://evil.example/'],
    ['text that is not a URL', 'not a url'],
  ])('never opens %s externally, and denies the window', (_label, url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
    expect(decideWindowOpen(url)).toEqual({ action: 'deny', openExternally: false });
  });

  it('judges against the allowlist it is given rather than the default one', () => {
    const allowlist = ['https://help.careconnect.example'];
    expect(isAllowedExternalUrl('https://help.careconnect.example/faq', allowlist)).toBe(true);
    expect(isAllowedExternalUrl('https://www.nhs.uk/', allowlist)).toBe(false);
    expect(decideWindowOpen('https://help.careconnect.example/faq', allowlist)).toEqual({ action: 'deny', openExternally: true });
  });
});

describe('shouldRefuseNavigation', () => {
  it.each([APP_ENTRY_URL, `${APP_ORIGIN}/other.html`, 'https://www.nhs.uk/', 'https://evil.example/', 'file:///etc/passwd'])(
    'refuses to navigate the window to %s',
    (url) => {
      expect(shouldRefuseNavigation(url)).toBe(true);
    },
  );
});

describe('isPermissionGranted', () => {
  it('grants the microphone to the app origin when only audio is asked for', () => {
    expect(isPermissionGranted({ permission: 'media', requestingUrl: APP_ENTRY_URL, mediaTypes: ['audio'] })).toBe(true);
  });

  it.each([
    ['video alone', ['video']],
    ['audio and video together', ['audio', 'video']],
    ['nothing in particular', []],
  ])('refuses media to the app origin when it asks for %s', (_label, mediaTypes) => {
    expect(isPermissionGranted({ permission: 'media', requestingUrl: APP_ENTRY_URL, mediaTypes })).toBe(false);
  });

  it('refuses media when the request does not say what it is for', () => {
    expect(isPermissionGranted({ permission: 'media', requestingUrl: APP_ENTRY_URL })).toBe(false);
  });

  it('lets the app origin write to the clipboard (the reference’s Copy button) but never read it', () => {
    expect(isPermissionGranted({ permission: 'clipboard-sanitized-write', requestingUrl: APP_ENTRY_URL })).toBe(true);
    expect(isPermissionGranted({ permission: 'clipboard-sanitized-write', requestingUrl: 'https://evil.example/' })).toBe(false);
    expect(isPermissionGranted({ permission: 'clipboard-read', requestingUrl: APP_ENTRY_URL })).toBe(false);
    expect(isPermissionCheckAllowed('clipboard-sanitized-write', APP_ORIGIN)).toBe(true);
  });

  it('grants the app origin the choice of audio output so a handler can pick the headset', () => {
    expect(isPermissionGranted({ permission: 'speaker-selection', requestingUrl: APP_ENTRY_URL })).toBe(true);
  });

  it('lets the app origin show notifications (a call ringing while the window is hidden), and no other origin', () => {
    expect(isPermissionGranted({ permission: 'notifications', requestingUrl: APP_ENTRY_URL })).toBe(true);
    expect(isPermissionCheckAllowed('notifications', APP_ORIGIN)).toBe(true);
    expect(isPermissionGranted({ permission: 'notifications', requestingUrl: 'https://evil.example/' })).toBe(false);
    expect(isPermissionCheckAllowed('notifications', 'https://evil.example')).toBe(false);
  });

  it.each(['geolocation', 'clipboard-read', 'display-capture', 'midi', 'openExternal', 'fullscreen', 'pointerLock', 'unknown'])(
    'refuses %s even to the app origin',
    (permission) => {
      expect(isPermissionGranted({ permission, requestingUrl: APP_ENTRY_URL, mediaTypes: ['audio'] })).toBe(false);
    },
  );

  it.each([
    ['an https site', 'https://evil.example/'],
    ['an allowlisted external site', 'https://www.nhs.uk/'],
    ['a file:// page', 'file:///index.html'],
    ['another host on the app scheme', 'app://other-host/index.html'],
    ['the app host with credentials', 'app://user:pw@care-desk/index.html'],
  ])('refuses every permission to %s', (_label, requestingUrl) => {
    expect(isPermissionGranted({ permission: 'media', requestingUrl, mediaTypes: ['audio'] })).toBe(false);
    expect(isPermissionGranted({ permission: 'speaker-selection', requestingUrl })).toBe(false);
  });
});

describe('isPermissionCheckAllowed', () => {
  it.each([
    ['audio', 'audio'],
    ['an unknown media type', 'unknown'],
    ['no media type', undefined],
  ])('allows the app origin to check media for %s', (_label, mediaType) => {
    expect(isPermissionCheckAllowed('media', APP_ORIGIN, mediaType)).toBe(true);
  });

  it('refuses the app origin a check for video', () => {
    expect(isPermissionCheckAllowed('media', APP_ORIGIN, 'video')).toBe(false);
  });

  it('allows the app origin to check speaker selection', () => {
    expect(isPermissionCheckAllowed('speaker-selection', APP_ORIGIN)).toBe(true);
  });

  it.each(['geolocation', 'clipboard-read', 'background-sync'])('refuses the app origin a check for %s', (permission) => {
    expect(isPermissionCheckAllowed(permission, APP_ORIGIN)).toBe(false);
  });

  it.each(['https://evil.example', 'https://www.nhs.uk', 'file://', 'app://other-host'])('refuses every check from %s', (origin) => {
    expect(isPermissionCheckAllowed('media', origin, 'audio')).toBe(false);
    expect(isPermissionCheckAllowed('speaker-selection', origin)).toBe(false);
  });
});

describe('senderRefusal', () => {
  const trusted: SenderFacts = { frameUrl: APP_ENTRY_URL, isMainFrame: true, isKnownWindow: true };

  it('trusts the app origin main frame of a known window', () => {
    expect(senderRefusal(trusted)).toBeNull();
  });

  it('refuses a sub-frame, even on the app origin', () => {
    expect(senderRefusal({ ...trusted, isMainFrame: false })).toBe('the sender is a sub-frame');
  });

  it('refuses a main frame showing a foreign origin', () => {
    expect(senderRefusal({ ...trusted, frameUrl: 'https://evil.example/' })).toBe('the sender is not the app origin');
  });

  it('refuses a main frame showing a file:// page', () => {
    expect(senderRefusal({ ...trusted, frameUrl: 'file:///index.html' })).toBe('the sender is not the app origin');
  });

  it('refuses a web contents that is not one of the app windows', () => {
    expect(senderRefusal({ ...trusted, isKnownWindow: false })).toBe('the sender is not a window of this app');
  });

  it('refuses a sender whose frame has gone', () => {
    expect(senderRefusal({ ...trusted, frameUrl: null })).toBe('the sending frame no longer exists');
  });
});
