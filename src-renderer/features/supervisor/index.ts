export { SupervisorView } from './supervisor-view';
export { supervises, ViewSwitch, type DeskView } from './view-switch';
