import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { NoteComposer } from '../../../src-renderer/features/cases/notes-timeline';

/** A save the test answers by hand, as a slow central save would: each call waits for `answer()`. */
function slowSaves() {
  const sent: string[] = [];
  const waiting: ((ok: boolean) => void)[] = [];
  return {
    sent,
    onAdd(text: string): Promise<boolean> {
      sent.push(text);
      return new Promise((resolve) => waiting.push(resolve));
    },
    answer(ok = true) {
      waiting.shift()!(ok);
    },
  };
}

/** The note box on screen, saving through `slowSaves`. */
function noteBox() {
  const user = userEvent.setup();
  const saves = slowSaves();
  render(<NoteComposer busy={false} error={undefined} onAdd={(text) => saves.onAdd(text)} />);
  return { user, saves, box: screen.getByLabelText('Add a note') };
}

describe('the note box', () => {
  it('keeps what the handler typed while a note was being saved, and clears only the words that were sent', async () => {
    const { user, saves, box } = noteBox();

    await user.type(box, 'Rang the ward');
    await user.keyboard('{Control>}{Enter}{/Control}');
    await user.type(box, ' and then the clinic');
    saves.answer();

    await waitFor(() => expect(box).toHaveValue('and then the clinic'));
    expect(saves.sent).toEqual(['Rang the ward']);
  });

  it('adds a note asked for while the one before is still being saved, once that one is in', async () => {
    const { user, saves, box } = noteBox();

    await user.type(box, 'First note');
    await user.keyboard('{Control>}{Enter}{/Control}');
    await user.clear(box);
    await user.type(box, 'Second note');
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(saves.sent).toEqual(['First note']);

    saves.answer();
    await waitFor(() => expect(saves.sent).toEqual(['First note', 'Second note']));
    expect(box).toHaveValue('Second note');
    saves.answer();
    await waitFor(() => expect(box).toHaveValue(''));
  });

  it('keeps a refused note’s words in the box', async () => {
    const { user, saves, box } = noteBox();
    await user.type(box, 'Too long, say');
    await user.keyboard('{Control>}{Enter}{/Control}');
    saves.answer(false);
    await waitFor(() => expect(saves.sent).toEqual(['Too long, say']));
    expect(box).toHaveValue('Too long, say');
  });
});
