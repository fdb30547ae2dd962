import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { saveTokens } from '../../auth/session';
import { NavLink } from '../../components/nav-link';
import { markInteractive } from '../../app/metrics';

// The Cognito client (the AWS SDK) loads when a form is sent, not with the screen.
const cognito = () => import('../../auth/cognito');
const cognitoMessage = async (e: unknown) => (await cognito()).cognitoMessage(e);

/** Only same-app paths are followed after sign-in (no open redirect). */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/signin') ? next : '/';
}

function AuthFrame({ title, children }: { title: string; children: ReactNode }) {
  useEffect(() => {
    markInteractive();
    void cognito(); // warm the SDK chunk while the person types
  }, []);
  return (
    <main>
      <Box padding={{ top: 'xxxl', horizontal: 'l' }}>
        <div style={{ maxWidth: 460, margin: '0 auto' }}>
          <SpaceBetween size="l">
            <Box variant="h1" textAlign="center">Enterprise Admin</Box>
            <Container header={<Header variant="h2">{title}</Header>}>{children}</Container>
          </SpaceBetween>
        </div>
      </Box>
    </main>
  );
}

type Challenge = Exclude<Awaited<ReturnType<Awaited<ReturnType<typeof cognito>>['signIn']>>, { kind: 'done' }>;

export function SignInPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  // A challenge after the password (TOTP code, new password): answered on the same screen.
  const [challenge, setChallenge] = useState<Challenge>();
  const [answer, setAnswer] = useState('');
  const next = safeNext(params.get('next'));
  async function run(step: () => Promise<Awaited<ReturnType<Challenge['answer']>>>) {
    setBusy(true);
    setError(undefined);
    try {
      const result = await step();
      if (result.kind === 'done') {
        saveTokens(result.tokens);
        navigate(next, { replace: true });
        return;
      }
      setChallenge(result);
      setAnswer('');
    } catch (err) {
      if ((err as { name?: string }).name === 'UserNotConfirmedException') {
        navigate(`/confirm?email=${encodeURIComponent(email.trim().toLowerCase())}`);
        return;
      }
      setError(await cognitoMessage(err));
    } finally {
      setBusy(false);
    }
  }
  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => (challenge ? challenge.answer(answer) : (await cognito()).signIn(email.trim().toLowerCase(), password)));
  }
  if (challenge) {
    const totp = challenge.kind === 'totp';
    return (
      <AuthFrame title={totp ? 'Enter your authentication code' : 'Choose a new password'}>
        <form onSubmit={submit} noValidate>
          <Form
            errorText={error}
            actions={<Button variant="primary" formAction="submit" loading={busy}>{totp ? 'Verify' : 'Set password and sign in'}</Button>}
            secondaryActions={<Button formAction="none" variant="link" onClick={() => { setChallenge(undefined); setPassword(''); setError(undefined); }}>Start again</Button>}
          >
            {totp ? (
              <FormField label="Authentication code" description="The 6-digit code your authenticator app shows for Enterprise Admin.">
                <Input inputMode="numeric" autoComplete="one-time-code" value={answer} onChange={(e) => setAnswer(e.detail.value)} />
              </FormField>
            ) : (
              <FormField label="New password" description="Your account has a temporary password: choose your own." constraintText={passwordHint}>
                <Input type="password" autoComplete="new-password" value={answer} onChange={(e) => setAnswer(e.detail.value)} />
              </FormField>
            )}
          </Form>
        </form>
      </AuthFrame>
    );
  }
  return (
    <AuthFrame title="Sign in">
      <form onSubmit={submit} noValidate>
        <Form
          errorText={error}
          actions={<Button variant="primary" formAction="submit" loading={busy}>Sign in</Button>}
          secondaryActions={<NavLink href={`/signup${params.get('next') ? `?next=${encodeURIComponent(next)}` : ''}`}>Create an account</NavLink>}
        >
          <SpaceBetween size="m">
            {params.get('next') && <Alert type="info">Sign in to continue where you were.</Alert>}
            {params.get('confirmed') && <Alert type="success">Your account is confirmed: sign in.</Alert>}
            {params.get('signedOut') && <Alert type="success">You are signed out.</Alert>}
            <FormField label="E-mail">
              <Input type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.detail.value)} />
            </FormField>
            <FormField label="Password">
              <Input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.detail.value)} />
            </FormField>
          </SpaceBetween>
        </Form>
      </form>
    </AuthFrame>
  );
}

const passwordHint = 'At least 12 characters with upper- and lower-case letters and a number.';

export function SignUpPage() {
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const address = email.trim().toLowerCase();
    try {
      const { confirmed } = await (await cognito()).signUp(address, password, name);
      navigate(confirmed ? `/signin?email=${encodeURIComponent(address)}&confirmed=1` : `/confirm?email=${encodeURIComponent(address)}`);
    } catch (err) {
      setError(await cognitoMessage(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <AuthFrame title="Create an account">
      <form onSubmit={submit} noValidate>
        <Form
          errorText={error}
          actions={<Button variant="primary" formAction="submit" loading={busy}>Sign up</Button>}
          secondaryActions={<NavLink href="/signin">I already have an account</NavLink>}
        >
          <SpaceBetween size="m">
            <FormField label="E-mail" description="Use the address your organization will invite.">
              <Input type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.detail.value)} />
            </FormField>
            <FormField label={<span>Name <i>- optional</i></span>}>
              <Input autoComplete="name" value={name} onChange={(e) => setName(e.detail.value)} />
            </FormField>
            <FormField label="Password" constraintText={passwordHint}>
              <Input type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.detail.value)} />
            </FormField>
          </SpaceBetween>
        </Form>
      </form>
    </AuthFrame>
  );
}

export function ConfirmPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string>();
  const [info, setInfo] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await (await cognito()).confirmSignUp(email.trim().toLowerCase(), code);
      navigate(`/signin?email=${encodeURIComponent(email.trim().toLowerCase())}&confirmed=1`);
    } catch (err) {
      setError(await cognitoMessage(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <AuthFrame title="Confirm your e-mail">
      <form onSubmit={submit} noValidate>
        <Form
          errorText={error}
          actions={<Button variant="primary" formAction="submit" loading={busy}>Confirm</Button>}
          secondaryActions={
            <Button
              formAction="none"
              variant="link"
              onClick={async () => {
                try {
                  await (await cognito()).resendCode(email.trim().toLowerCase());
                  setInfo('A new code is on its way.');
                } catch (err) {
                  setError(await cognitoMessage(err));
                }
              }}
            >
              Send a new code
            </Button>
          }
        >
          <SpaceBetween size="m">
            <Alert type="info">{info ?? 'We sent a confirmation code to your e-mail.'}</Alert>
            <FormField label="E-mail">
              <Input type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.detail.value)} />
            </FormField>
            <FormField label="Confirmation code">
              <Input inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.detail.value)} />
            </FormField>
          </SpaceBetween>
        </Form>
      </form>
    </AuthFrame>
  );
}
