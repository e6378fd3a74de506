import { describe, expect, it } from 'vitest';
import * as domain from '../../../src-shared/domain';
import * as caseRecord from '../../../src-shared/domain/case-record';
import * as caseTypes from '../../../src-shared/domain/case-types';
import * as categories from '../../../src-shared/domain/categories';
import * as emailAddress from '../../../src-shared/domain/email-address';
import * as phoneNumber from '../../../src-shared/domain/phone-number';
import * as referenceNumber from '../../../src-shared/domain/reference-number';
import * as statuses from '../../../src-shared/domain/statuses';

describe('the domain index', () => {
  it('re-exports every export of every domain module, as the same value', () => {
    const modules = { caseTypes, categories, statuses, phoneNumber, emailAddress, referenceNumber, caseRecord };
    for (const [moduleName, module] of Object.entries(modules)) {
      for (const [name, value] of Object.entries(module)) {
        expect({ moduleName, name, same: (domain as Record<string, unknown>)[name] === value }).toEqual({ moduleName, name, same: true });
      }
    }
  });

  it('exposes the functions other code is written against', () => {
    for (const name of [
      'isHighPriorityAllowed',
      'statusesFor',
      'isOpenStatus',
      'isResolvedStatus',
      'allowedTransitions',
      'canTransition',
      'transitionError',
      'normalisePhoneNumber',
      'formatPhoneNumber',
      'normaliseEmail',
      'encodeReference',
      'decodeReference',
      'normaliseReference',
      'validateReference',
      'looksLikeReference',
      'validateField',
      'crossFieldIssues',
      'completenessIssues',
      'defaultCaseFields',
      'validateNote',
      'emptyFlags',
    ]) {
      expect({ name, type: typeof (domain as Record<string, unknown>)[name] }).toEqual({ name, type: 'function' });
    }
  });
});
