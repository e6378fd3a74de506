import { RING_CADENCE_MS, ringtoneWav } from '../../../src-renderer/features/softphone/ringtone';

describe('the simulated line’s ringtone', () => {
  const wav = ringtoneWav(8000);
  const view = new DataView(wav);
  const ascii = (offset: number) => String.fromCharCode(...new Uint8Array(wav, offset, 4));
  const sample = (index: number) => view.getInt16(44 + index * 2, true);
  const loudness = (fromMs: number, toMs: number) => {
    let peak = 0;
    for (let i = Math.round(fromMs * 8); i < Math.round(toMs * 8); i += 1) peak = Math.max(peak, Math.abs(sample(i)));
    return peak;
  };

  it('is a playable 16-bit mono PCM WAV of one ring cycle', () => {
    expect([ascii(0), ascii(8), ascii(12), ascii(36)]).toEqual(['RIFF', 'WAVE', 'fmt ', 'data']);
    expect(view.getUint16(20, true)).toBe(1);
    expect(view.getUint16(22, true)).toBe(1);
    expect(view.getUint32(24, true)).toBe(8000);
    expect(view.getUint16(34, true)).toBe(16);
    const totalMs = RING_CADENCE_MS.reduce((sum, part) => sum + part.ms, 0);
    expect(view.getUint32(40, true)).toBe((totalMs / 1000) * 8000 * 2);
    expect(view.getUint32(4, true)).toBe(wav.byteLength - 8);
  });

  it('rings twice and is silent between and after, in the UK cadence', () => {
    expect(loudness(50, 350)).toBeGreaterThan(8000); // first ring
    expect(loudness(410, 590)).toBe(0); // the short gap
    expect(loudness(650, 950)).toBeGreaterThan(8000); // second ring
    expect(loudness(1010, 2990)).toBe(0); // the long pause
  });
});
