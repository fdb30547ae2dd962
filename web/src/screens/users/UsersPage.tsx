import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCollection } from '@cloudscape-design/collection-hooks';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ButtonDropdown from '@cloudscape-design/components/button-dropdown';
import Header from '@cloudscape-design/components/header';
import Pagination from '@cloudscape-design/components/pagination';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import ContentLayout from '@cloudscape-design/components/content-layout';
import { allPages, call, client } from '../../api/client';
import { keys, useOrgUsers, type Invitation, type Member } from '../../api/queries';
import { ConfirmModal, LoadError, formatDate } from '../../components/common';
import { useFlash } from '../../components/flash';
import { roleLabel, useOrg, useOrgId } from '../../app/org';
import { InviteUsersModal } from './InviteUsersModal';

type UserAction = 'make-admin' | 'make-user' | 'suspend' | 'reactivate' | 'remove';

const actionText: Record<UserAction, { title: string; confirm: string; consequence: (m: Member) => string }> = {
  'make-admin': {
    title: 'Make enterprise administrator', confirm: 'Make administrator',
    consequence: (m) => `${m.email} will be able to manage the organization: invite and manage users, create and manage teams, set budgets, top up credits and read the audit log.`,
  },
  'make-user': {
    title: 'Make user', confirm: 'Make user',
    consequence: (m) => `${m.email} will lose enterprise administration at once; their team seats and team roles stay as they are.`,
  },
  suspend: {
    title: 'Suspend user', confirm: 'Suspend',
    consequence: (m) => `${m.email} will not be able to do anything in this organization (including spending credits) until reactivated. Their team seats are kept.`,
  },
  reactivate: {
    title: 'Reactivate user', confirm: 'Reactivate',
    consequence: (m) => `${m.email} gets their role and team seats back.`,
  },
  remove: {
    title: 'Remove user', confirm: 'Remove',
    consequence: (m) => `${m.email} leaves the organization and loses every team seat in it, at once. Their history stays in the ledger and audit log. To come back they need a new invitation.`,
  },
};

export default function UsersPage() {
  const orgId = useOrgId();
  const { me } = useOrg();
  const users = useOrgUsers(orgId);
  const queryClient = useQueryClient();
  const flash = useFlash();
  const [inviting, setInviting] = useState(false);
  const [pending, setPending] = useState<{ action: UserAction; member: Member }>();
  const { items, collectionProps, filterProps, paginationProps, filteredItemsCount } = useCollection(users.data ?? [], {
    filtering: {
      filteringFunction: (m, text) => [m.email, m.name ?? '', roleLabel[m.role], m.status].join(' ').toLowerCase().includes(text.toLowerCase()),
      empty: <Box textAlign="center" color="inherit">No users yet.</Box>,
      noMatch: <Box textAlign="center" color="inherit">No user matches the filter.</Box>,
    },
    pagination: { pageSize: 10 },
    sorting: { defaultState: { sortingColumn: { sortingField: 'email' } } },
    selection: { trackBy: 'userId' },
  });
  // The selected member as the latest list has them (after Suspend, Reactivate is offered at once).
  const selectedId = collectionProps.selectedItems?.[0]?.userId;
  const selected = users.data?.find((m) => m.userId === selectedId);

  const change = useMutation({
    mutationFn: async ({ action, member }: { action: UserAction; member: Member }) => {
      const path = { orgId, userId: member.userId };
      if (action === 'remove') return call(client().DELETE('/v1/organizations/{orgId}/users/{userId}', { params: { path } }));
      const body = action === 'make-admin' ? { role: 'ADMIN' as const } : action === 'make-user' ? { role: 'USER' as const }
        : action === 'suspend' ? { status: 'SUSPENDED' as const } : { status: 'ACTIVE' as const };
      return call(client().PATCH('/v1/organizations/{orgId}/users/{userId}', { params: { path }, body }));
    },
    onSuccess: async (_, { action, member }) => {
      setPending(undefined);
      await queryClient.invalidateQueries({ queryKey: keys.users(orgId) });
      if (member.userId === me.userId) await queryClient.invalidateQueries({ queryKey: ['me'] });
      flash.success(`${actionText[action].title}: done`, member.email);
    },
    onError: (error, vars) => {
      setPending(undefined);
      flash.error(`${actionText[vars.action].title} failed`, error, () => change.mutate(vars));
    },
  });

  const actions = (m: Member | undefined) => [
    { id: 'make-admin', text: 'Make enterprise administrator', disabled: !m || m.role !== 'USER' },
    { id: 'make-user', text: 'Make user', disabled: !m || m.role !== 'ADMIN' },
    { id: 'suspend', text: 'Suspend', disabled: !m || m.role === 'OWNER' || m.status === 'SUSPENDED' },
    { id: 'reactivate', text: 'Reactivate', disabled: !m || m.status !== 'SUSPENDED' },
    { id: 'remove', text: 'Remove from organization', disabled: !m || m.role === 'OWNER' },
  ];

  return (
    <ContentLayout header={<Header variant="h1" description="Everyone in the organization, and the invitations still open.">Users</Header>}>
      <SpaceBetween size="l">
        {users.isError ? (
          <LoadError error={users.error} onRetry={() => users.refetch()} what="the users" />
        ) : (
          <Table
            {...collectionProps}
            selectionType="single"
            variant="container"
            loading={users.isPending}
            loadingText="Loading users"
            items={items}
            ariaLabels={{
              tableLabel: 'Users',
              selectionGroupLabel: 'Select a user',
              itemSelectionLabel: (_, m) => `Select ${m.email}`,
              allItemsSelectionLabel: () => 'Select all',
            }}
            header={
              <Header
                variant="h2"
                counter={users.data ? `(${users.data.length})` : undefined}
                actions={
                  <SpaceBetween direction="horizontal" size="xs">
                    <ButtonDropdown
                      items={actions(selected)}
                      disabled={!selected}
                      onItemClick={(e) => selected && setPending({ action: e.detail.id as UserAction, member: selected })}
                    >
                      Actions
                    </ButtonDropdown>
                    <Button variant="primary" onClick={() => setInviting(true)}>Invite Users</Button>
                  </SpaceBetween>
                }
              >
                Members
              </Header>
            }
            filter={<TextFilter {...filterProps} filteringPlaceholder="Find users" filteringAriaLabel="Find users" countText={`${filteredItemsCount ?? 0} matches`} />}
            pagination={<Pagination {...paginationProps} ariaLabels={{ nextPageLabel: 'Next page', previousPageLabel: 'Previous page', pageLabel: (n) => `Page ${n}` }} />}
            columnDefinitions={[
              { id: 'email', header: 'E-mail', cell: (m) => m.email, sortingField: 'email', isRowHeader: true },
              { id: 'name', header: 'Name', cell: (m) => m.name ?? '—', sortingField: 'name' },
              { id: 'role', header: 'Role', cell: (m) => roleLabel[m.role], sortingField: 'role' },
              {
                id: 'status', header: 'Status', sortingField: 'status',
                cell: (m) => <StatusIndicator type={m.status === 'ACTIVE' ? 'success' : 'stopped'}>{m.status === 'ACTIVE' ? 'Active' : 'Suspended'}</StatusIndicator>,
              },
              { id: 'joined', header: 'Joined', cell: (m) => formatDate(m.joinedAt), sortingField: 'joinedAt' },
            ]}
          />
        )}
        <PendingInvitations orgId={orgId} />
      </SpaceBetween>
      {inviting && <InviteUsersModal orgId={orgId} onClose={() => setInviting(false)} />}
      {pending && (
        <ConfirmModal
          visible
          title={actionText[pending.action].title}
          confirmLabel={actionText[pending.action].confirm}
          consequence={actionText[pending.action].consequence(pending.member)}
          onDismiss={() => setPending(undefined)}
          onConfirm={() => change.mutateAsync(pending).catch(() => undefined)}
        />
      )}
    </ContentLayout>
  );
}

function PendingInvitations({ orgId }: { orgId: string }) {
  const queryClient = useQueryClient();
  const flash = useFlash();
  const [revoking, setRevoking] = useState<Invitation>();
  const invitations = useQuery({
    queryKey: keys.invitations(orgId),
    queryFn: () => allPages((cursor) => call(client().GET('/v1/organizations/{orgId}/invitations', { params: { path: { orgId }, query: { status: 'PENDING', limit: 100, cursor } } }))),
  });
  const act = useMutation({
    mutationFn: ({ invitation, action }: { invitation: Invitation; action: 'resend' | 'revoke' }) => {
      const params = { params: { path: { orgId, invitationId: invitation.invitationId } } };
      return action === 'resend'
        ? call(client().POST('/v1/organizations/{orgId}/invitations/{invitationId}/resend', params))
        : call(client().POST('/v1/organizations/{orgId}/invitations/{invitationId}/revoke', params));
    },
    onSuccess: async (inv, { action }) => {
      setRevoking(undefined);
      await queryClient.invalidateQueries({ queryKey: keys.invitations(orgId) });
      flash.success(action === 'resend' ? `Invitation to ${inv.email} resent` : `Invitation to ${inv.email} revoked`,
        action === 'resend' ? `It now expires ${formatDate(inv.expiresAt)}.` : undefined);
    },
    onError: (error, vars) => {
      setRevoking(undefined);
      flash.error(vars.action === 'resend' ? 'The invitation could not be resent' : 'The invitation could not be revoked', error, () => act.mutate(vars));
    },
  });
  const { items, collectionProps, paginationProps } = useCollection(invitations.data ?? [], {
    pagination: { pageSize: 10 },
    sorting: {},
    filtering: { empty: <Box textAlign="center" color="inherit">No invitation is waiting for an answer.</Box> },
  });
  if (invitations.isError) return <LoadError error={invitations.error} onRetry={() => invitations.refetch()} what="the invitations" />;
  return (
    <>
      <Table
        {...collectionProps}
        variant="container"
        items={items}
        loading={invitations.isPending}
        loadingText="Loading invitations"
        ariaLabels={{ tableLabel: 'Pending invitations' }}
        header={<Header variant="h2" counter={invitations.data ? `(${invitations.data.length})` : undefined} description="Invitations not yet accepted, declined, revoked or expired.">Pending invitations</Header>}
        pagination={<Pagination {...paginationProps} ariaLabels={{ nextPageLabel: 'Next page', previousPageLabel: 'Previous page', pageLabel: (n) => `Page ${n}` }} />}
        columnDefinitions={[
          { id: 'email', header: 'E-mail', cell: (i) => i.email, sortingField: 'email', isRowHeader: true },
          { id: 'role', header: 'Role', cell: (i) => roleLabel[i.role] },
          { id: 'teams', header: 'Teams', cell: (i) => (i.teams.length ? i.teams.map((t) => t.name ?? t.teamId).join(', ') : '—') },
          { id: 'created', header: 'Invited', cell: (i) => formatDate(i.createdAt), sortingField: 'createdAt' },
          { id: 'expires', header: 'Expires', cell: (i) => formatDate(i.expiresAt), sortingField: 'expiresAt' },
          {
            id: 'actions', header: 'Actions', cell: (i) => (
              <SpaceBetween direction="horizontal" size="xs">
                <Button variant="inline-link" ariaLabel={`Resend the invitation to ${i.email}`} onClick={() => act.mutate({ invitation: i, action: 'resend' })}>Resend</Button>
                <Button variant="inline-link" ariaLabel={`Revoke the invitation to ${i.email}`} onClick={() => setRevoking(i)}>Revoke</Button>
              </SpaceBetween>
            ),
          },
        ]}
      />
      {revoking && (
        <ConfirmModal
          visible
          title="Revoke invitation"
          confirmLabel="Revoke"
          consequence={`${revoking.email} will no longer be able to join with this invitation. You can invite them again later.`}
          onDismiss={() => setRevoking(undefined)}
          onConfirm={() => act.mutateAsync({ invitation: revoking, action: 'revoke' }).catch(() => undefined)}
        />
      )}
    </>
  );
}
