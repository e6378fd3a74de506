/**
 * Valid UK numbers for seeded callers, in E.164. Landlines come from Ofcom's drama ranges that the full
 * libphonenumber metadata accepts (0113 496 0xxx and friends; 0115 496 and 01632 960 are refused, so they are not
 * here); mobiles from 07400 000000-07400 999999. A test checks every landline and a sample of the mobiles.
 */
export const LANDLINE_BLOCKS: readonly string[] = [
  '+441134960',
  '+441144960',
  '+441164960',
  '+441174960',
  '+441184960',
  '+441214960',
  '+441314960',
  '+441414960',
  '+441514960',
  '+441614960',
  '+442079460',
  '+441914980',
  '+442896496',
  '+442920180',
];
const LANDLINES = LANDLINE_BLOCKS.length * 1000;
const MOBILES = 1_000_000;
// An odd multiplier prime to 10^6 spreads consecutive callers over the whole mobile range, one to one.
const MOBILE_STRIDE = 7919;
const MOBILE_OFFSET = 104_729;

/** How many distinct numbers `ukPhoneNumber` can give. */
export const UK_PHONE_NUMBER_COUNT = LANDLINES + MOBILES;

/** The nth distinct number (0 <= n < UK_PHONE_NUMBER_COUNT): every 20th caller is on a landline while they last. */
export function ukPhoneNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= UK_PHONE_NUMBER_COUNT) throw new RangeError(`No UK number ${n}`);
  const landline = n % 20 === 19 && Math.floor(n / 20) < LANDLINES;
  if (landline) {
    const index = Math.floor(n / 20);
    return `${LANDLINE_BLOCKS[Math.floor(index / 1000)]}${String(index % 1000).padStart(3, '0')}`;
  }
  const landlinesBefore = Math.min(Math.floor((n + 1) / 20), LANDLINES);
  const mobile = n - landlinesBefore;
  return `+447400${String((mobile * MOBILE_STRIDE + MOBILE_OFFSET) % MOBILES).padStart(6, '0')}`;
}
