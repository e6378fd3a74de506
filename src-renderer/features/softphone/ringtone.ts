/**
 * The simulated line's ringtone: the UK ring cadence (400 Hz and 450 Hz together; on 0.4 s, off 0.2 s, on 0.4 s,
 * off 2 s), made as a WAV in memory so the app ships no sound file and the CSP's `media-src blob:` serves it.
 * Twilio rings by itself on the handler's chosen ringtone device, so this is only for the simulator.
 */
export const RING_CADENCE_MS: readonly { on: boolean; ms: number }[] = [
  { on: true, ms: 400 },
  { on: false, ms: 200 },
  { on: true, ms: 400 },
  { on: false, ms: 2000 },
];

const SAMPLE_RATE = 8000;

/** One cycle of the ring as 16-bit mono PCM in a WAV container. */
export function ringtoneWav(sampleRate = SAMPLE_RATE): ArrayBuffer {
  const samples: number[] = [];
  for (const part of RING_CADENCE_MS) {
    const count = Math.round((part.ms / 1000) * sampleRate);
    for (let i = 0; i < count; i += 1) {
      const t = samples.length / sampleRate;
      // Half amplitude for each tone, so the pair never clips; a short ramp at each edge avoids clicks.
      const edge = Math.min(1, i / 40, (count - i) / 40);
      samples.push(part.on ? 0.25 * edge * (Math.sin(2 * Math.PI * 400 * t) + Math.sin(2 * Math.PI * 450 * t)) : 0);
    }
  }
  const buffer = new ArrayBuffer(44 + samples.length * 2);
  const view = new DataView(buffer);
  const text = (offset: number, value: string) => [...value].forEach((char, index) => view.setUint8(offset + index, char.charCodeAt(0)));
  text(0, 'RIFF');
  view.setUint32(4, 36 + samples.length * 2, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true); // bytes per second
  view.setUint16(32, 2, true); // block align
  view.setUint16(34, 16, true); // bits per sample
  text(36, 'data');
  view.setUint32(40, samples.length * 2, true);
  samples.forEach((sample, index) => view.setInt16(44 + index * 2, Math.round(Math.max(-1, Math.min(1, sample)) * 32767), true));
  return buffer;
}

let url: string | null = null;

/** A blob: URL of the ringtone, made once per window. Null where blobs cannot be made (tests without URL support). */
export function ringtoneUrl(): string | null {
  if (url) return url;
  if (typeof URL.createObjectURL !== 'function') return null;
  url = URL.createObjectURL(new Blob([ringtoneWav()], { type: 'audio/wav' }));
  return url;
}
