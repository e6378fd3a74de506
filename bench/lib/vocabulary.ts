import { aliasSampler, seededRandom } from './random';

/**
 * Real words a handler types, most common first: English function words, then the words of NHS feedback. They take
 * the top ranks of the Zipf distribution, so "the" and "ward" are in most cases, as they would be.
 */
const REAL_WORDS = `
the and to was a of i she he they in her for his on that with my not it is at be had have but
said told been were we no when from all about after this there would could them me an so what their
caller patient mother father daughter son wife husband carer family partner baby child
ward nurse doctor hospital appointment gp surgery staff care called waiting waited hours days weeks
pain treatment letter phone reception receptionist consultant referral discharge discharged prescription
pharmacy medication medicine emergency ambulance department clinic unit team manager matron sister
test results scan xray bloods blood pressure operation theatre bed beds toilet toilets food meal meals drink
water parking car park charge charges ticket fine lost property bag glasses hearing aid dentures phone
rude dismissive kind caring helpful excellent poor dirty clean cold late early cancelled rescheduled
delayed missed wrong unsafe safe worried upset angry distressed frightened confused happy grateful
thank thanks complaint complain feedback concern question enquiry advice information support help
pals ombudsman trust practice provider service services commissioner nhs 111 999 urgent routine
maternity midwife labour birth antenatal postnatal paediatrics children mental health crisis
cardiology heart chest breathing asthma diabetes insulin cancer chemotherapy oncology radiology
outpatients inpatient physiotherapy physio occupational therapy dementia stroke fracture hip knee
injection vaccine vaccination booster flu covid test swab isolation infection antibiotics
dose doses tablets inhaler dressing wound stitches catheter drip cannula oxygen monitor
interpreter translation language deaf blind wheelchair access ramp lift stairs entrance
transport taxi bus hospital transport volunteer chaplain visiting visitors visit hours
email letter post address records notes record consent dignity privacy respect confidential
shouted ignored laughed refused explained listened apologised reassured promised arranged booked
rang phoned emailed wrote spoke asked answered replied chased escalated referred transferred
morning afternoon evening night weekend monday tuesday wednesday thursday friday saturday sunday
today yesterday tomorrow week month year last next first second third again still never always
very really quite just only even also too more most less least much many few several some any
long short hour minutes time times date dates day
`
  .split(/\s+/)
  .filter(Boolean);

const ONSETS = ['b', 'br', 'c', 'ch', 'cl', 'd', 'dr', 'f', 'fl', 'g', 'gr', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'pl', 'pr', 'r', 's', 'sh', 'st', 't', 'th', 'tr', 'v', 'w', 'z'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'ee', 'oo', 'ou'];
const CODAS = ['', '', '', 'n', 'r', 'l', 's', 't', 'm', 'nd', 'st', 'ck', 'ng', 'x'];

/** Pronounceable made-up words ("brotam", "sheelind"): the long tail of names, places, drugs and misspellings. */
function syntheticWords(count: number, seed: number, avoid: ReadonlySet<string>): string[] {
  const random = seededRandom(seed);
  const choose = (list: readonly string[]) => list[Math.floor(random() * list.length)]!;
  const words = new Set<string>();
  while (words.size < count) {
    const syllables = 2 + Math.floor(random() * 2);
    let word = '';
    for (let s = 0; s < syllables; s++) word += choose(ONSETS) + choose(VOWELS) + (s === syllables - 1 ? choose(CODAS) : '');
    if (!avoid.has(word)) words.add(word);
  }
  return [...words];
}

export interface Vocabulary {
  /** Every word, most common first. */
  words: readonly string[];
  /** The index of a word drawn with Zipf-Mandelbrot weights 1 / (rank + q)^s. */
  draw(random: () => number): number;
  /** A sentence-cased text of `count` words, with a full stop every so often. */
  text(random: () => number, count: number): string;
}

/**
 * The seeded vocabulary: about 450 real words and `synthetic` made-up ones, Zipf-distributed (s = 1.1, q = 2.7).
 * With 30,000 synthetic words over a million cases, the rarest words occur in about a hundred cases and the
 * commonest in nearly all of them.
 */
export function createVocabulary(synthetic = 30_000, seed = 11): Vocabulary {
  const real = [...new Set(REAL_WORDS)];
  const words = [...real, ...syntheticWords(synthetic, seed, new Set(real))];
  const draw = aliasSampler(words.map((_, rank) => 1 / (rank + 1 + 2.7) ** 1.1));
  return {
    words,
    draw,
    text(random, count) {
      const parts: string[] = [];
      let sentenceStart = true;
      for (let i = 0; i < count; i++) {
        let word = words[draw(random)]!;
        if (sentenceStart) word = word.charAt(0).toUpperCase() + word.slice(1);
        sentenceStart = random() < 0.09 || i === count - 1;
        parts.push(sentenceStart ? `${word}.` : word);
      }
      return parts.join(' ');
    },
  };
}
