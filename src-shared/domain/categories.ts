/** What a piece of feedback is about. The order is the order the handler sees in the picker. */
export const categories = [
  'staff-attitude',
  'access',
  'delays',
  'treatment',
  'communication',
  'cleanliness',
  'equipment',
  'medicines',
  'food',
  'dignity',
  'parking',
  'lost-property',
  'other',
] as const;
export type Category = (typeof categories)[number];

export const categoryLabels: Record<Category, string> = {
  'staff-attitude': 'Staff attitude',
  access: 'Access to service',
  delays: 'Delays',
  treatment: 'Your treatment',
  communication: 'Communication',
  cleanliness: 'Cleanliness and facilities',
  equipment: 'Equipment, aids and devices',
  medicines: 'Medicines',
  food: 'Food',
  dignity: 'Dignity and privacy',
  parking: 'Parking',
  'lost-property': 'Lost property',
  other: 'Other',
};

/** Short examples shown under each category so handlers choose the same one for the same problem. */
export const categoryHints: Record<Category, string> = {
  'staff-attitude': 'How staff spoke to or treated the patient',
  access: 'Getting appointments, waiting times',
  delays: 'Referrals, test results',
  treatment: 'Wrong advice, unsafe care, refusal of treatment, consent',
  communication: 'Letters, administration',
  cleanliness: 'Wards, toilets, waiting areas and other facilities',
  equipment: 'Wheelchairs, hearing aids, broken or missing equipment',
  medicines: 'Prescriptions, missed or wrong doses',
  food: 'Meals, drinks, special diets',
  dignity: 'Privacy, respect, confidentiality',
  parking: 'Parking spaces and charges',
  'lost-property': 'Belongings lost or damaged',
  other: 'Anything that fits none of the above',
};

/**
 * High priority means the problem is happening right now and someone can still act on it. The service allows it
 * only for these categories: a parking charge or lost property is never an emergency for the ward.
 */
export const highPriorityCategories: ReadonlySet<Category> = new Set<Category>([
  'cleanliness',
  'communication',
  'delays',
  'dignity',
  'food',
  'staff-attitude',
  'medicines',
  'treatment',
]);

/** True when a case in this category may be marked high priority; a case with no category may not. */
export function isHighPriorityAllowed(category: Category | null): boolean {
  return category !== null && highPriorityCategories.has(category);
}

export function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && (categories as readonly string[]).includes(value);
}
