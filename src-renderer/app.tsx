import type { Api } from './api';
import { HomeScreen } from './features/home/home-screen';

export function App({ api }: { api: Api }) {
  return <HomeScreen api={api} />;
}
