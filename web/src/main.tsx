import '@cloudscape-design/global-styles/index.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { loadConfig } from './app/config';
import { App } from './app/App';
import { ApiError, SignInRequired } from './api/client';
import { currentTokens } from './auth/session';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      // Network failures and 5xx are retried once; problems (4xx) are answers, not glitches.
      retry: (count, error) => !(error instanceof SignInRequired) && !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 1,
    },
    mutations: { retry: false },
  },
});

const root = createRoot(document.getElementById('root')!);
// Signed in: fetch the console's chunk while the configuration loads.
if (currentTokens()) void import('./app/SignedIn').catch(() => undefined);
loadConfig().then(
  () => root.render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </QueryClientProvider>
    </StrictMode>,
  ),
  (e: Error) => root.render(<main><h1>Enterprise Admin</h1><p role="alert">The console cannot start: {e.message}</p></main>),
);
