import { formatElapsed } from '../../components/elapsed-time';

/** "0:48 left", or "+0:12 over" once the time has run out: a wrap-up keeps counting so the handler sees the overrun. */
export function formatCountdown(deadline: number, now: number): { text: string; over: boolean } {
  const remaining = deadline - now;
  // Whole seconds down: the screen's clock ticks once a second, so rounding up would start a minute at "1:01 left".
  if (remaining >= 0) return { text: `${formatElapsed(Math.floor(remaining / 1000) * 1000)} left`, over: false };
  return { text: `+${formatElapsed(-remaining)} over`, over: true };
}

export { formatElapsed };
