import { useEffect, useState } from 'react';

interface Health {
  status: string;
  database: { reachable: boolean };
}

export function App() {
  const [health, setHealth] = useState<Health | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    fetch('/api/health')
      .then((response) => response.json() as Promise<Health>)
      .then(setHealth)
      .catch((e: Error) => setError(e.message));
  }, []);
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: 32 }}>
      <h1>Lastmile</h1>
      {error && <p role="alert">The API is not reachable: {error}</p>}
      {health && <p>API {health.status}; database {health.database.reachable ? 'reachable' : 'down'}.</p>}
    </main>
  );
}
