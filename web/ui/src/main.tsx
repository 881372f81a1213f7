// The app shell: navigation, client-side routing below the route prefix, light/dark theme.
import { render } from 'preact';
import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import { AlertmanagerDiscoveryPage } from './AlertmanagerDiscoveryPage';
import { QueryPage } from './query/QueryPage';
import { AlertsPage } from './rules/AlertsPage';
import { RulesPage } from './rules/RulesPage';
import { ServiceDiscoveryPage } from './ServiceDiscoveryPage';
import { ReadinessGate } from './StartupPage';
import { ConfigPage, FlagsPage, RuntimeStatusPage, TsdbStatusPage } from './StatusPages';
import { TargetsPage } from './TargetsPage';
import { setUseLocalTime, useLocalTime } from './settings';
import './styles.css';

// The server sets <base href> to the route prefix, so the page's own path below it is the route.
function currentRoute(): string {
  const base = new URL('.', document.baseURI).pathname;
  const path = location.pathname.startsWith(base) ? location.pathname.slice(base.length) : location.pathname.replace(/^\//, '');
  return `/${path.replace(/\/+$/, '')}`;
}

const STATUS_LINKS: [string, string][] = [
  ['status', 'Runtime & build information'],
  ['tsdb-status', 'TSDB status'],
  ['flags', 'Command-line flags'],
  ['config', 'Configuration'],
  ['rules', 'Rules'],
  ['service-discovery', 'Service discovery'],
  ['alertmanager-discovery', 'Alertmanager discovery'],
];

type Theme = 'light' | 'dark';

function initialTheme(): Theme {
  const saved = localStorage.getItem('pyrometer.theme');
  if (saved === 'light' || saved === 'dark') return saved;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function App() {
  const [route, setRoute] = useState(currentRoute);
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const localTime = useLocalTime();

  // A layout effect, so the theme is on the document before the pages' effects run: the graph
  // reads its colours from the CSS variables when it draws.
  useLayoutEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  useEffect(() => {
    const onPop = () => setRoute(currentRoute());
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  const navigate = (e: MouseEvent, to: string) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    history.pushState(null, '', to);
    setRoute(currentRoute());
  };
  const link = (to: string, label: string, active: boolean) => (
    <a href={to} class={active ? 'active' : ''} onClick={(e) => navigate(e, to)}>
      {label}
    </a>
  );

  let page;
  let title;
  switch (route) {
    case '/query':
    case '/graph':
      page = <QueryPage theme={theme} />;
      title = 'Query';
      break;
    case '/alerts':
      page = <AlertsPage />;
      title = 'Alerts';
      break;
    case '/rules':
      page = <RulesPage />;
      title = 'Rules';
      break;
    case '/targets':
      page = <TargetsPage />;
      title = 'Targets';
      break;
    case '/service-discovery':
      page = <ServiceDiscoveryPage />;
      title = 'Service discovery';
      break;
    case '/alertmanager-discovery':
      page = <AlertmanagerDiscoveryPage />;
      title = 'Alertmanager discovery';
      break;
    case '/status':
      page = <RuntimeStatusPage />;
      title = 'Runtime & build information';
      break;
    case '/tsdb-status':
      page = <TsdbStatusPage />;
      title = 'TSDB status';
      break;
    case '/flags':
      page = <FlagsPage />;
      title = 'Command-line flags';
      break;
    case '/config':
      page = <ConfigPage />;
      title = 'Configuration';
      break;
    default:
      page = <div class="error">Page not found: {route}</div>;
      title = 'Not found';
  }
  useEffect(() => {
    document.title = `${title} - Pyrometer`;
  }, [title]);

  const isStatus = STATUS_LINKS.some(([to]) => route === `/${to}`);
  return (
    <>
      <header class="navbar">
        <a class="brand" href="query" onClick={(e) => navigate(e, 'query')}>
          <img src="favicon.svg" alt="" width={22} height={22} /> Pyrometer
        </a>
        <nav>
          {link('query', 'Query', route === '/query' || route === '/graph')}
          {link('alerts', 'Alerts', route === '/alerts')}
          {link('targets', 'Targets', route === '/targets')}
          <details class={isStatus ? 'menu active' : 'menu'}>
            <summary>Status</summary>
            <div class="menu-items" onClick={(e) => (e.currentTarget.parentElement as HTMLDetailsElement).removeAttribute('open')}>
              {STATUS_LINKS.map(([to, label]) => link(to, label, route === `/${to}`))}
            </div>
          </details>
        </nav>
        <details class="menu settings" onKeyDown={(e) => e.key === 'Escape' && e.currentTarget.removeAttribute('open')}>
          <summary aria-label="Settings" title="Settings">
            ⚙
          </summary>
          <div class="menu-items">
            <label>
              <input type="checkbox" checked={localTime} onChange={(e) => setUseLocalTime(e.currentTarget.checked)} /> Use local time
            </label>
          </div>
        </details>
        <button
          class="theme-toggle"
          aria-label="Toggle light/dark theme"
          title="Toggle light/dark theme"
          onClick={() => {
            const next = theme === 'dark' ? 'light' : 'dark';
            localStorage.setItem('pyrometer.theme', next);
            setTheme(next);
          }}
        >
          {theme === 'dark' ? '☀' : '☾'}
        </button>
      </header>
      <main>
        <ReadinessGate>{page}</ReadinessGate>
      </main>
    </>
  );
}

render(<App />, document.getElementById('root')!);
