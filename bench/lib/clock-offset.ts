/** One reading of another clock: taken after `sentAt` and before `receivedAt` on ours. All in ms. */
export interface ClockReading {
  sentAt: number;
  remoteAt: number;
  receivedAt: number;
}

/**
 * How far another clock (a browser page's `performance.timeOrigin + performance.now()`) is ahead of ours, from the
 * reading with the shortest round trip, as NTP does: the remote clock was read somewhere inside that round trip, so
 * taking its middle is wrong by at most half of it (`errorMs`). Lets a time taken in Node and one taken in the page
 * be subtracted.
 */
export function clockOffset(readings: readonly ClockReading[]): { offsetMs: number; errorMs: number } {
  if (readings.length === 0) throw new Error('clockOffset needs at least one reading');
  let best = readings[0]!;
  for (const reading of readings) {
    if (reading.receivedAt - reading.sentAt < best.receivedAt - best.sentAt) best = reading;
  }
  const roundTrip = best.receivedAt - best.sentAt;
  if (roundTrip < 0) throw new Error('a clock reading came back before it was sent');
  return { offsetMs: best.remoteAt - (best.sentAt + roundTrip / 2), errorMs: roundTrip / 2 };
}
