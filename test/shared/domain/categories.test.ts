import { describe, expect, it } from 'vitest';
import {
  categories,
  categoryHints,
  categoryLabels,
  highPriorityCategories,
  isCategory,
  isHighPriorityAllowed,
  type Category,
} from '../../../src-shared/domain/categories';

describe('feedback categories', () => {
  it('lists the thirteen categories in the order the handler sees them', () => {
    expect(categories).toEqual([
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
    ]);
  });

  it('gives every category a label and a non-empty hint, and nothing else', () => {
    expect(Object.keys(categoryLabels).sort()).toEqual([...categories].sort());
    expect(Object.keys(categoryHints).sort()).toEqual([...categories].sort());
    for (const category of categories) {
      expect(categoryLabels[category].length).toBeGreaterThan(0);
      expect(categoryHints[category].length).toBeGreaterThan(0);
    }
    expect(new Set(Object.values(categoryLabels)).size).toBe(categories.length);
  });

  it('uses the examples the service gives for its categories', () => {
    expect(categoryHints.access).toBe('Getting appointments, waiting times');
    expect(categoryHints.delays).toBe('Referrals, test results');
    expect(categoryHints.treatment).toBe('Wrong advice, unsafe care, refusal of treatment, consent');
    expect(categoryHints.communication).toBe('Letters, administration');
    expect(categoryLabels.dignity).toBe('Dignity and privacy');
    expect(categoryHints.dignity).toContain('confidentiality');
    expect(categoryHints.parking).toContain('charges');
  });

  it('allows high priority for exactly the categories the service names, checked for every category', () => {
    const expected: Record<Category, boolean> = {
      'staff-attitude': true,
      access: false,
      delays: true,
      treatment: true,
      communication: true,
      cleanliness: true,
      equipment: false,
      medicines: true,
      food: true,
      dignity: true,
      parking: false,
      'lost-property': false,
      other: false,
    };
    for (const category of categories) {
      expect({ category, allowed: isHighPriorityAllowed(category) }).toEqual({ category, allowed: expected[category] });
    }
    expect([...highPriorityCategories].sort()).toEqual(
      categories.filter((category) => expected[category]).sort(),
    );
  });

  it('does not allow high priority before a category is chosen', () => {
    expect(isHighPriorityAllowed(null)).toBe(false);
  });

  it('recognises only the declared category ids', () => {
    for (const category of categories) expect(isCategory(category)).toBe(true);
    for (const other of ['Access', 'hasOwnProperty', 'staff attitude', '', undefined]) expect(isCategory(other)).toBe(false);
  });
});
