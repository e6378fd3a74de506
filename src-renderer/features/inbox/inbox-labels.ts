/** The central API's intake account, which owns a contact until a handler claims it. */
export const INTAKE_OWNER_ID = 'intake';
