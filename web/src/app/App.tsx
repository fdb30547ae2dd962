import { lazy, Suspense, useEffect, useSyncExternalStore } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { Loading } from '../components/loading';
import { currentTokens, onSessionChange, signOut } from '../auth/session';
import { onSignInRequired } from '../api/client';

// The sign-in screens and the signed-in console are separate chunks, and each screen of the
// console is one more: the first screen loads only what it shows.
const SignInPage = lazy(() => import('../screens/auth/AuthPages').then((m) => ({ default: m.SignInPage })));
const SignUpPage = lazy(() => import('../screens/auth/AuthPages').then((m) => ({ default: m.SignUpPage })));
const ConfirmPage = lazy(() => import('../screens/auth/AuthPages').then((m) => ({ default: m.ConfirmPage })));
const SignedIn = lazy(() => import('./SignedIn'));

function useSignedIn(): boolean {
  return useSyncExternalStore(onSessionChange, () => !!currentTokens());
}

export function App() {
  const signedIn = useSignedIn();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  // A 401 that a refresh could not fix: back to sign-in, then to the same screen.
  useEffect(() => onSignInRequired(() => {
    queryClient.clear();
    const here = window.location.pathname + window.location.search;
    if (!here.startsWith('/signin')) navigate(`/signin?next=${encodeURIComponent(here)}`, { replace: true });
  }), [navigate, queryClient]);

  if (['/signin', '/signup', '/confirm', '/signout'].includes(location.pathname)) {
    return (
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route path="/signin" element={<SignInPage />} />
          <Route path="/signup" element={<SignUpPage />} />
          <Route path="/confirm" element={<ConfirmPage />} />
          <Route path="/signout" element={<SignOut />} />
        </Routes>
      </Suspense>
    );
  }
  if (!signedIn) {
    return <Navigate to={`/signin?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  }
  return (
    <Suspense fallback={<Loading />}>
      <SignedIn />
    </Suspense>
  );
}

/**
 * /signout (the account menu's "Sign out"): forgets the cached server state, ends the session (the
 * console's sessionStorage at once, then the refresh token is revoked at Cognito) and shows sign-in.
 */
function SignOut() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  useEffect(() => {
    queryClient.clear();
    void signOut();
    navigate('/signin?signedOut=1', { replace: true });
  }, [navigate, queryClient]);
  return <Loading />;
}
