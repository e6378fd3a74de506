import type { Migration } from '../migration';
import { migration0010Settings } from './0010-settings';

/** Every migration, in order. Numbers leave gaps so a fix can slot in between two shipped steps. */
export const migrations: readonly Migration[] = [migration0010Settings];
