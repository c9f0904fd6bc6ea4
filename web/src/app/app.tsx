import { type ReactNode, Suspense, lazy, useEffect, useState } from 'react';
import { useMetricCatalog } from '../api/metric-catalog.queries';
import { AppLink } from '../components/app-link';
import { FilterBar } from '../components/filter-bar';
import { SettingsDialog } from '../components/settings-dialog';
import { EmptyState, ErrorState, Loading } from '../components/state-message';
import { OverviewPage } from '../features/overview/overview-page';
import { onOpenSettings, setThemeChoice, useResolvedTheme } from '../lib/settings';
import { type Page, useRoute } from '../lib/url-state';

// The overview is the landing page: it ships in the entry chunk (with chart.js) so its first chart
// waits for no second round of chunks. Every other page is a chunk of its own.
const DeliveryPage = lazy(() =>
  import('../features/delivery/delivery-page').then((m) => ({ default: m.DeliveryPage })),
);
const ModelsPage = lazy(() =>
  import('../features/models/models-page').then((m) => ({ default: m.ModelsPage })),
);
const DecisionsPage = lazy(() =>
  import('../features/decisions/decisions-page').then((m) => ({ default: m.DecisionsPage })),
);
const ReportsPage = lazy(() =>
  import('../features/reports/reports-page').then((m) => ({ default: m.ReportsPage })),
);
const SourcesPage = lazy(() =>
  import('../features/sources/sources-page').then((m) => ({ default: m.SourcesPage })),
);

const NAV: { page: Page; path: string; label: string }[] = [
  { page: 'overview', path: '/', label: 'Overview' },
  { page: 'delivery', path: '/delivery', label: 'Delivery' },
  { page: 'models', path: '/models', label: 'Models' },
  { page: 'decisions', path: '/decisions', label: 'Decisions' },
  { page: 'reports', path: '/reports', label: 'Reports' },
  { page: 'sources', path: '/sources', label: 'Sources' },
];

const FILTERED: Page[] = ['overview', 'delivery', 'models'];

function CurrentPage({ page, id }: { page: Page | 'not-found'; id?: string }) {
  switch (page) {
    case 'overview':
      return <OverviewPage />;
    case 'delivery':
      return <DeliveryPage />;
    case 'models':
      return <ModelsPage />;
    case 'decisions':
      return <DecisionsPage id={id} />;
    case 'reports':
      return <ReportsPage id={id} />;
    case 'sources':
      return <SourcesPage />;
    case 'not-found':
      return (
        <EmptyState title="There is no page here">
          <p>
            Go to the <AppLink to="/">Overview</AppLink>.
          </p>
        </EmptyState>
      );
  }
}

/** Pages render once the metric catalog has arrived: every label and direction comes from it. */
function CatalogGate({ children }: { children: ReactNode }) {
  const catalog = useMetricCatalog();
  if (catalog.isPending) return <Loading label="Loading the metric catalog…" />;
  if (catalog.error)
    return <ErrorState error={catalog.error} onRetry={() => void catalog.refetch()} />;
  return <>{children}</>;
}

export function App() {
  const route = useRoute();
  const theme = useResolvedTheme();
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [navOpen, setNavOpen] = useState(false);
  const current = NAV.find((item) => item.page === route.page);

  useEffect(() => onOpenSettings(() => setSettingsOpen(true)), []);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    document.title = current ? `${current.label} · Lastmile` : 'Lastmile';
  }, [current]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className={`app-header${navOpen ? ' nav-open' : ''}`}>
        <AppLink to="/" keepQuery className="brand" aria-label="Lastmile, overview">
          <span className="brand-mark" aria-hidden="true" />
          Lastmile
        </AppLink>
        <nav aria-label="Pages">
          <ul className="nav" id="nav-pages" onClick={() => setNavOpen(false)}>
            {NAV.map((item) => (
              <li key={item.page}>
                <AppLink
                  to={item.path}
                  keepQuery
                  aria-current={route.page === item.page ? 'page' : undefined}
                >
                  {item.label}
                </AppLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="header-actions">
          <button
            type="button"
            className="button button-ghost nav-toggle"
            aria-expanded={navOpen}
            aria-controls="nav-pages"
            onClick={() => setNavOpen(!navOpen)}
          >
            Menu
          </button>
          <button
            type="button"
            className="button button-ghost"
            onClick={() => setThemeChoice(theme === 'dark' ? 'light' : 'dark')}
            aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
          >
            {theme === 'dark' ? '☀' : '☾'}
          </button>
          <button
            type="button"
            className="button button-ghost"
            onClick={() => setSettingsOpen(true)}
          >
            Settings
          </button>
        </div>
      </header>
      {FILTERED.includes(route.page as Page) && <FilterBar />}
      <main id="main" tabIndex={-1}>
        <CatalogGate>
          <Suspense fallback={<Loading label="Loading the page…" />}>
            <CurrentPage page={route.page} id={route.id} />
          </Suspense>
        </CatalogGate>
      </main>
      <SettingsDialog open={settingsOpen} onClose={() => setSettingsOpen(false)} />
    </>
  );
}
