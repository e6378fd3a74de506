import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { CaseForm } from '../../../src-renderer/features/cases/case-form';
import type { Provider } from '../../../src-shared/contract/cases';
import { defaultCaseFields, type CaseFields } from '../../../src-shared/domain/case-record';
import { categories, categoryLabels, isHighPriorityAllowed } from '../../../src-shared/domain/categories';

const categoryOptions = categories.map((id) => ({ id, label: categoryLabels[id], highPriorityAllowed: isHighPriorityAllowed(id) }));
const providers: Provider[] = [
  { id: 'p1', odsCode: 'RX1', name: 'Northbridge Hospitals NHS Foundation Trust', kind: 'acute trust', departments: ['Maternity', 'Wards'] },
  { id: 'p2', odsCode: 'RX2', name: 'Eastmoor University Hospitals NHS Trust', kind: 'acute trust', departments: [] },
];

function Harness(props: { initial?: Partial<CaseFields>; errors?: Partial<Record<keyof CaseFields, string>>; onChange?: (field: string, value: unknown) => void }) {
  const [values, setValues] = useState<CaseFields>({ ...defaultCaseFields('feedback', 'phone'), ...props.initial });
  const [provider, setProvider] = useState<Provider | null>(null);
  return (
    <CaseForm
      values={values}
      errors={props.errors ?? {}}
      required={new Set(['description'])}
      provider={provider}
      categories={categoryOptions}
      onChange={(field, value) => {
        props.onChange?.(field, value);
        setValues((v) => ({ ...v, [field]: value }));
      }}
      onChooseProvider={(p) => {
        setProvider(p);
        props.onChange?.('providerId', p?.id ?? null);
      }}
      searchProviders={async (text) => providers.filter((p) => `${p.odsCode} ${p.name}`.toLowerCase().includes(text.toLowerCase()))}
    />
  );
}

describe('the case form', () => {
  it('labels every control, so each can be reached by its name', () => {
    render(<Harness />);
    for (const name of ['Type', 'Channel', /What the caller said/, /^Category/, 'Provider', 'Department or service']) {
      expect(screen.getByLabelText(name)).toBeInTheDocument();
    }
    expect(screen.getByRole('checkbox', { name: 'Safeguarding concern' })).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'High: happening now' })).toBeInTheDocument();
  });

  it('offers high priority only for categories that allow it', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.selectOptions(screen.getByLabelText(/^Category/), 'Parking');
    expect(screen.getByRole('radio', { name: 'High: happening now' })).toBeDisabled();
    await user.selectOptions(screen.getByLabelText(/^Category/), 'Cleanliness and facilities');
    expect(screen.getByRole('radio', { name: 'High: happening now' })).toBeEnabled();
  });

  it('chooses a provider from the keyboard by organisation code, then offers its departments', async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    render(<Harness onChange={onChange} />);
    const picker = screen.getByRole('combobox', { name: 'Provider' });
    await user.type(picker, 'rx1');
    expect(await screen.findByRole('option', { name: /Northbridge/ })).toBeInTheDocument();
    await user.keyboard('{ArrowDown}{Enter}');
    expect(onChange).toHaveBeenCalledWith('providerId', 'p1');
    expect(picker).toHaveValue('Northbridge Hospitals NHS Foundation Trust (RX1)');
    // The handler's focus stays in the picker after choosing.
    expect(picker).toHaveFocus();
    expect(screen.getByLabelText('Department or service')).toBeEnabled();
    expect(screen.getByRole('option', { name: 'Maternity' })).toBeInTheDocument();
  });

  it('shows a short field’s message once the handler leaves it, tied to the field', async () => {
    const user = userEvent.setup();
    render(<Harness initial={{ contactMethod: 'phone' }} errors={{ contactPhone: 'Enter a UK phone number, like 07400 123456' }} />);
    const phone = screen.getByLabelText('Phone number to call back on');
    await user.click(phone);
    expect(screen.queryByText('Enter a UK phone number, like 07400 123456')).not.toBeInTheDocument();
    await user.tab();
    expect(phone).toHaveAccessibleDescription(expect.stringContaining('Enter a UK phone number, like 07400 123456'));
  });

  it('shows the character count of the caller’s words against the 20,000 limit', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.type(screen.getByLabelText(/What the caller said/), 'Hello');
    expect(screen.getByText(/5 of 20,000 characters/)).toBeInTheDocument();
  });
});
