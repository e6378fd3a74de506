export { ReportsView, reportTeams } from './reports-view';
