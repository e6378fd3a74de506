import type { CaseType } from './case-types';

/**
 * The demo organisation's reference data, shared by the desk (which seeds it into an empty cache) and the embedded
 * central API (which seeds the same into its store), so a demo desk and its server agree on every id. The providers
 * are synthetic, with ODS-style codes; none of them is a real organisation.
 */

export const DEMO_DISPOSITIONS: readonly { id: string; label: string; resolves: boolean }[] = [
  { id: 'resolved-first-contact', label: 'Resolved at first contact', resolves: true },
  { id: 'information-given', label: 'Information given', resolves: true },
  { id: 'referred-to-provider', label: 'Referred to provider', resolves: false },
  { id: 'callback-needed', label: 'Callback needed', resolves: false },
  { id: 'passed-to-complaints', label: 'Passed to complaints', resolves: false },
  { id: 'safeguarding-referral', label: 'Safeguarding referral', resolves: false },
  { id: 'wrong-number', label: 'Wrong number / not for us', resolves: false },
  { id: 'abusive-caller', label: 'Abusive caller', resolves: false },
  { id: 'no-case-needed', label: 'No case needed', resolves: false },
];

export const DEMO_QUEUES: readonly { id: string; name: string; caseType: CaseType | null }[] = [
  { id: 'feedback', name: 'Feedback', caseType: 'feedback' },
  { id: 'concern', name: 'Concerns (urgent)', caseType: 'feedback' },
  { id: 'question', name: 'Questions', caseType: 'question' },
  { id: 'general', name: 'General enquiries', caseType: 'general-enquiry' },
];

const TRUST_DEPARTMENTS = ['Accident and emergency', 'Cardiology', 'Maternity', 'Outpatients', 'Paediatrics', 'Radiology', 'Surgery', 'Wards'];
const PRACTICE_DEPARTMENTS = ['Appointments', 'Prescriptions', 'Reception'];

/** Synthetic providers: [ODS-style code, name, kind]. Trust codes are R + two characters, practices a letter + five digits. */
export const DEMO_PROVIDERS: readonly [string, string, string][] = [
  ['RX1', 'Northbridge Hospitals NHS Foundation Trust', 'acute trust'],
  ['RX2', 'Eastmoor University Hospitals NHS Trust', 'acute trust'],
  ['RX3', 'Westfield and Lowdale NHS Foundation Trust', 'acute trust'],
  ['RX4', 'Kingsmere Teaching Hospitals NHS Trust', 'acute trust'],
  ['RX5', 'Southvale General Hospital NHS Trust', 'acute trust'],
  ['RX6', 'Harbourside Community Healthcare NHS Trust', 'community trust'],
  ['RX7', 'Fernhill Mental Health NHS Foundation Trust', 'mental health trust'],
  ['RX8', 'Ashcombe Children’s Hospital NHS Foundation Trust', 'acute trust'],
  ['RX9', 'Millbrook Ambulance Service NHS Trust', 'ambulance trust'],
  ['RY1', 'Oakhurst and District NHS Trust', 'acute trust'],
  ['RY2', 'Brackenridge Orthopaedic Hospital NHS Trust', 'acute trust'],
  ['RY3', 'Thornbury Partnership NHS Foundation Trust', 'mental health trust'],
  ['RY4', 'Lindenfield Specialist Eye Hospital NHS Trust', 'acute trust'],
  ['RY5', 'Greyfriars Hospitals NHS Trust', 'acute trust'],
  ['RY6', 'Cresthaven Community Services NHS Trust', 'community trust'],
  ['RY7', 'Marlow Vale NHS Foundation Trust', 'acute trust'],
  ['Y9001', 'Riverside NHS 111 Service', 'urgent care'],
  ['Y9002', 'Hillcrest Urgent Treatment Centre', 'urgent care'],
  ['Y9003', 'Northbridge Walk-in Centre', 'urgent care'],
  ['Z91001', 'Eastmoor Dental Access Centre', 'dental'],
  ['Z91002', 'Kingsmere Community Dental Service', 'dental'],
  ['X81001', 'Orchard Lane Surgery', 'gp practice'],
  ['X81002', 'Beechwood Medical Centre', 'gp practice'],
  ['X81003', 'The Old Mill Practice', 'gp practice'],
  ['X81004', 'Station Road Health Centre', 'gp practice'],
  ['X81005', 'Highfield Family Practice', 'gp practice'],
  ['X81006', 'Castle View Surgery', 'gp practice'],
  ['X81007', 'Meadowbank Group Practice', 'gp practice'],
  ['X81008', 'Willow Tree Medical Practice', 'gp practice'],
  ['X81009', 'Quayside Surgery', 'gp practice'],
  ['X81010', 'St Aldric’s Health Centre', 'gp practice'],
  ['X81011', 'Greenways Medical Group', 'gp practice'],
  ['X81012', 'Priory Fields Surgery', 'gp practice'],
  ['X82001', 'Copperfield Pharmacy', 'pharmacy'],
  ['X82002', 'Market Square Pharmacy', 'pharmacy'],
  ['X83001', 'Lakeside Care Home', 'care home'],
  ['X83002', 'Rosewood House Nursing Home', 'care home'],
  ['X84001', 'Northbridge Patient Transport Service', 'transport'],
  ['X84002', 'Eastmoor Hearing and Audiology Service', 'community service'],
  ['X84003', 'Westfield Sexual Health Clinic', 'community service'],
];

/** The departments of a demo provider, by its kind: trusts have wards and services, practices a front desk. */
export function demoProviderDepartments(kind: string): readonly string[] {
  return kind === 'gp practice' ? PRACTICE_DEPARTMENTS : kind.endsWith('trust') ? TRUST_DEPARTMENTS : [];
}

/** A demo provider's id, made from its code so desk and server name it the same. */
export function demoProviderId(odsCode: string): string {
  return `provider-${odsCode.toLowerCase()}`;
}
