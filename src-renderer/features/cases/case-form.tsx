import { useState, type ReactNode } from 'react';
import type { Provider, ReferenceData } from '../../../src-shared/contract/cases';
import {
  CASE_LIMITS,
  caseFlagLabels,
  caseFlagNames,
  type CaseFieldName,
  type CaseFields,
  type CaseFlagName,
} from '../../../src-shared/domain/case-record';
import { caseTypeLabels, caseTypes, channelLabels, channels } from '../../../src-shared/domain/case-types';
import { categoryHints, isHighPriorityAllowed, type Category } from '../../../src-shared/domain/categories';
import { normalisePhoneNumber } from '../../../src-shared/domain/phone-number';
import { CallButtonIfOnLine } from '../softphone/call-button';
import { fieldLabels } from './case-labels';
import { ProviderPicker } from './provider-picker';

export interface CaseFormProps {
  values: CaseFields;
  errors: Partial<Record<CaseFieldName, string>>;
  /** Fields that must be filled in before the case can be closed. */
  required: ReadonlySet<string>;
  provider: Provider | null;
  categories: ReferenceData['categories'];
  onChange: <K extends CaseFieldName>(field: K, value: CaseFields[K] | string) => void;
  onChooseProvider: (provider: Provider | null) => void;
  searchProviders: (text: string) => Promise<Provider[]>;
  /** Rendered where the caller is linked (the caller lookup), between the type and the caller's words. */
  callerSlot?: ReactNode;
  /** The case's id, so a callback placed from its contact number is linked to it. */
  caseId?: string;
}

/** The case form. Every control is labelled, every message sits next to its field, and nothing here saves by itself. */
export function CaseForm(props: CaseFormProps) {
  const { values, errors } = props;
  const isFeedback = values.type === 'feedback';
  const [focused, setFocused] = useState<string | null>(null);
  // Short validated fields show their message once the handler leaves them, not while half a number is typed.
  const shownError = (field: CaseFieldName) => (focused === field ? undefined : errors[field]);
  const focusProps = (field: CaseFieldName) => ({ onFocus: () => setFocused(field), onBlur: () => setFocused(null) });

  return (
    <div className="case-form">
      <div className="form-row">
        <Field id="case-type" label={fieldLabels.type} error={errors.type}>
          {(describedBy) => (
            <select id="case-type" value={values.type} aria-describedby={describedBy} onChange={(e) => props.onChange('type', e.target.value)}>
              {caseTypes.map((type) => (
                <option key={type} value={type}>
                  {caseTypeLabels[type]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="case-channel" label={fieldLabels.channel} error={errors.channel}>
          {(describedBy) => (
            <select id="case-channel" value={values.channel} aria-describedby={describedBy} onChange={(e) => props.onChange('channel', e.target.value)}>
              {channels.map((channel) => (
                <option key={channel} value={channel}>
                  {channelLabels[channel]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>

      {props.callerSlot}

      <Field
        id="case-description"
        label={`${fieldLabels.description} (their own words)`}
        required={props.required.has('description')}
        error={errors.description}
        hint={`${values.description.length.toLocaleString('en-GB')} of ${CASE_LIMITS.description.toLocaleString('en-GB')} characters. Never published as written.`}
      >
        {(describedBy) => (
          <textarea
            id="case-description"
            rows={7}
            value={values.description}
            aria-describedby={describedBy}
            aria-invalid={errors.description ? true : undefined}
            onChange={(e) => props.onChange('description', e.target.value)}
          />
        )}
      </Field>

      {isFeedback && (
        <div className="form-row">
          <Field id="case-category" label={fieldLabels.category} required={props.required.has('category')} error={errors.category}
            hint={values.category ? categoryHints[values.category] : undefined}>
            {(describedBy) => (
              <select
                id="case-category"
                value={values.category ?? ''}
                aria-describedby={describedBy}
                aria-invalid={errors.category ? true : undefined}
                onChange={(e) => props.onChange('category', e.target.value === '' ? null : (e.target.value as Category))}
              >
                <option value="">Choose a category</option>
                {props.categories.map((category) => (
                  <option key={category.id} value={category.id}>
                    {category.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <fieldset className="field">
            <legend>{fieldLabels.priority}</legend>
            <div className="choices choices--inline">
              <label>
                <input type="radio" name="priority" value="normal" checked={values.priority === 'normal'} onChange={() => props.onChange('priority', 'normal')} />
                Normal
              </label>
              <label>
                <input
                  type="radio"
                  name="priority"
                  value="high"
                  checked={values.priority === 'high'}
                  disabled={!isHighPriorityAllowed(values.category) && values.priority !== 'high'}
                  aria-describedby="priority-hint"
                  onChange={() => props.onChange('priority', 'high')}
                />
                High: happening now
              </label>
            </div>
            <p id="priority-hint" className="hint">
              {isHighPriorityAllowed(values.category) ? 'For a problem happening right now.' : 'High priority is for cleanliness, communication, delays, dignity, food, staff, medicines and treatment.'}
            </p>
            {errors.priority && <p className="field__error">{errors.priority}</p>}
          </fieldset>
        </div>
      )}

      <div className="form-row">
        <Field id="case-provider" label={fieldLabels.providerId} required={props.required.has('providerId')} error={errors.providerId}>
          {(describedBy) => (
            <ProviderPicker
              id="case-provider"
              provider={props.provider}
              search={props.searchProviders}
              onChoose={props.onChooseProvider}
              error={errors.providerId}
              {...(describedBy ? { describedBy } : {})}
            />
          )}
        </Field>
        <Field id="case-department" label={fieldLabels.department} error={errors.department}>
          {(describedBy) => (
            <select
              id="case-department"
              value={values.department ?? ''}
              aria-describedby={describedBy}
              disabled={!props.provider || props.provider.departments.length === 0}
              onChange={(e) => props.onChange('department', e.target.value === '' ? null : e.target.value)}
            >
              <option value="">{props.provider ? 'Whole organisation' : 'Choose a provider first'}</option>
              {props.provider?.departments.map((department) => (
                <option key={department} value={department}>
                  {department}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>

      {isFeedback && (
        <fieldset className="field">
          <legend>{fieldLabels.flags}</legend>
          <div className="choices choices--grid">
            {caseFlagNames.map((flag) => (
              <label key={flag}>
                <input
                  type="checkbox"
                  checked={values.flags[flag]}
                  onChange={(e) => props.onChange('flags', { ...values.flags, [flag]: e.target.checked } as Record<CaseFlagName, boolean>)}
                />
                {caseFlagLabels[flag]}
              </label>
            ))}
          </div>
          {Object.entries(errors)
            .filter(([key]) => key.startsWith('flags'))
            .map(([key, message]) => (
              <p key={key} className="field__error">
                {message}
              </p>
            ))}
          {values.flags.relatesToPreviousCase && (
            <Field id="case-previous-reference" label={fieldLabels.previousReference} error={shownError('previousReference')}>
              {(describedBy) => (
                <input
                  id="case-previous-reference"
                  type="text"
                  className="input--reference"
                  value={values.previousReference ?? ''}
                  aria-describedby={describedBy}
                  {...focusProps('previousReference')}
                  onChange={(e) => props.onChange('previousReference', e.target.value)}
                />
              )}
            </Field>
          )}
        </fieldset>
      )}

      {isFeedback && (
        <fieldset className="field">
          <legend>{fieldLabels.commissioning}</legend>
          <div className="choices choices--inline">
            {(['local', 'national'] as const).map((level) => (
              <label key={level}>
                <input type="radio" name="commissioning" checked={values.commissioning === level} onChange={() => props.onChange('commissioning', level)} />
                {level === 'local' ? 'Locally commissioned' : 'Nationally commissioned'}
              </label>
            ))}
            <label>
              <input type="radio" name="commissioning" checked={values.commissioning === null} onChange={() => props.onChange('commissioning', null)} />
              Not known
            </label>
          </div>
        </fieldset>
      )}

      <fieldset className="field">
        <legend>{fieldLabels.contactMethod}</legend>
        <div className="choices choices--inline">
          {(['none', 'phone', 'email'] as const).map((method) => (
            <label key={method}>
              <input type="radio" name="contact-method" checked={values.contactMethod === method} onChange={() => props.onChange('contactMethod', method)} />
              {method === 'none' ? 'No contact needed' : method === 'phone' ? 'Phone' : 'Email'}
            </label>
          ))}
        </div>
        {values.contactMethod === 'phone' && (
          <Field id="case-contact-phone" label={fieldLabels.contactPhone} error={shownError('contactPhone')} hint="For example 07400 123456">
            {(describedBy) => (
              <input
                id="case-contact-phone"
                type="tel"
                autoComplete="off"
                value={values.contactPhone ?? ''}
                aria-describedby={describedBy}
                aria-invalid={shownError('contactPhone') ? true : undefined}
                {...focusProps('contactPhone')}
                onChange={(e) => props.onChange('contactPhone', e.target.value)}
              />
            )}
          </Field>
        )}
        {values.contactMethod === 'phone' && callbackNumber(values.contactPhone) && (
          <CallButtonIfOnLine number={callbackNumber(values.contactPhone)!} caseId={props.caseId ?? null} label="Call back on this number" />
        )}
        {values.contactMethod === 'email' && (
          <Field id="case-contact-email" label={fieldLabels.contactEmail} error={shownError('contactEmail')}>
            {(describedBy) => (
              <input
                id="case-contact-email"
                type="email"
                autoComplete="off"
                value={values.contactEmail ?? ''}
                aria-describedby={describedBy}
                aria-invalid={shownError('contactEmail') ? true : undefined}
                {...focusProps('contactEmail')}
                onChange={(e) => props.onChange('contactEmail', e.target.value)}
              />
            )}
          </Field>
        )}
      </fieldset>
    </div>
  );
}

/** A labelled field with its hint and its error message, tied to the control by aria-describedby. */
export function Field(props: {
  id: string;
  label: string;
  required?: boolean;
  error?: string | undefined;
  hint?: string | undefined;
  children: (describedBy: string | undefined) => ReactNode;
}) {
  const hintId = props.hint ? `${props.id}-hint` : null;
  const errorId = props.error ? `${props.id}-error` : null;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={props.error ? 'field field--error' : 'field'}>
      <label htmlFor={props.id} className="field__label">
        {props.label}
        {props.required && <span className="field__required"> (needed to close)</span>}
      </label>
      {props.error && (
        <p id={errorId!} className="field__error">
          {props.error}
        </p>
      )}
      {props.children(describedBy)}
      {props.hint && (
        <p id={hintId!} className="hint">
          {props.hint}
        </p>
      )}
    </div>
  );
}

/** The contact number in E.164 when it is a number the line can ring, for the callback button. */
function callbackNumber(value: string | null): string | null {
  if (!value) return null;
  const checked = normalisePhoneNumber(value);
  return checked.ok ? checked.e164 : null;
}
