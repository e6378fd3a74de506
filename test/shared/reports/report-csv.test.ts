import { describe, expect, it } from 'vitest';
import { csvCell } from '../../../src-shared/reports/report-csv';

describe('report CSV cells', () => {
  it('defuses text a spreadsheet would run as a formula, and keeps our own negative figures as numbers', () => {
    expect(csvCell('=SUM(A1:A9)')).toBe("'=SUM(A1:A9)");
    expect(csvCell('+44 113')).toBe("'+44 113");
    expect(csvCell('-minus')).toBe("'-minus");
    expect(csvCell('@import')).toBe("'@import");
    expect(csvCell(-3.5)).toBe('-3.5');
  });

  it('quotes commas, quotes and line breaks, and leaves a missing figure empty', () => {
    expect(csvCell('Leeds, St James’s')).toBe('"Leeds, St James’s"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
  });
});
