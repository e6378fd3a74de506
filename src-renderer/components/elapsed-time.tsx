/** Formats a duration as m:ss, or h:mm:ss past an hour, the way contact-centre timers read. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const ss = String(seconds).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${ss}` : `${minutes}:${ss}`;
}

export function ElapsedTime({ since, now }: { since: string; now: number }) {
  return (
    <time className="elapsed" dateTime={since}>
      {formatElapsed(now - Date.parse(since))}
    </time>
  );
}
