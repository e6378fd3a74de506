import { describeNoLoss } from './no-loss-suite';

describeNoLoss('postgres');
