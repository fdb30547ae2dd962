import { useState, type ReactNode } from 'react';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Alert from '@cloudscape-design/components/alert';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import { NavLink } from './nav-link';
import { ApiError } from '../api/client';
import { describe } from './flash';

/** A destructive or consequential action, confirmed in a modal that names the consequence. */
export function ConfirmModal(props: {
  visible: boolean;
  title: string;
  consequence: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<unknown> | void;
  onDismiss: () => void;
}) {
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      visible={props.visible}
      onDismiss={props.onDismiss}
      header={props.title}
      closeAriaLabel="Close"
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={props.onDismiss}>Cancel</Button>
            <Button
              variant="primary"
              loading={busy}
              onClick={async () => {
                setBusy(true);
                try {
                  await props.onConfirm();
                } finally {
                  setBusy(false);
                }
              }}
            >
              {props.confirmLabel}
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      {props.consequence}
    </Modal>
  );
}

/** What a person sees on a screen their role does not open. */
export function NotAllowed({ what }: { what: string }) {
  return (
    <Container header={<Header variant="h1">Not allowed</Header>}>
      <SpaceBetween size="s">
        <Box>Your role in this organization does not let you open {what}. Ask an enterprise administrator if you need it.</Box>
        <NavLink href="/">Back to the home page</NavLink>
      </SpaceBetween>
    </Container>
  );
}

/** A query's failure inside a screen: the problem, and Retry. */
export function LoadError({ error, onRetry, what }: { error: unknown; onRetry: () => void; what: string }) {
  if (error instanceof ApiError && (error.status === 403 || error.status === 404) && !error.network) {
    return <NotAllowed what={what} />;
  }
  return (
    <Alert type="error" header={`Could not load ${what}`} action={<Button onClick={onRetry}>Retry</Button>}>
      {describe(error)}
    </Alert>
  );
}

export const formatNumber = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toLocaleString('en-US'));
export const formatDate = (iso: string | undefined) => (iso ? new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC' : '—');
export const formatDay = (iso: string | undefined) => (iso ? new Date(iso).toLocaleDateString('en-US', { dateStyle: 'medium', timeZone: 'UTC' }) : '—');

/** The problem's message for a form field, when the problem names that field. */
export function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError && error.field === field ? error.problem?.detail : undefined;
}
