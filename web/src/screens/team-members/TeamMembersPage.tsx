import { useState } from 'react';
import { useParams } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCollection } from '@cloudscape-design/collection-hooks';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ButtonDropdown from '@cloudscape-design/components/button-dropdown';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import Pagination from '@cloudscape-design/components/pagination';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import { call, client, type Schemas } from '../../api/client';
import { keys, useTeam, useTeamMembers, type TeamMember } from '../../api/queries';
import { ConfirmModal, LoadError, formatDate, formatNumber } from '../../components/common';
import { useFlash } from '../../components/flash';
import { NavLink } from '../../components/nav-link';
import { teamRoleLabel, useOrg, useOrgId } from '../../app/org';
import { budgetSummary } from '../teams/budget';
import { AddMemberModal } from './AddMemberModal';

type Pending = { action: 'make-admin' | 'make-member' | 'remove'; member: TeamMember };

/** [Team Members]: who is on the team, [Add Member], role changes and removal (org admins, the team's ADMINs). */
export default function TeamMembersPage() {
  const orgId = useOrgId();
  const { teamId = '' } = useParams();
  const { me } = useOrg();
  const team = useTeam(orgId, teamId);
  const members = useTeamMembers(orgId, teamId);
  const queryClient = useQueryClient();
  const flash = useFlash();
  const [adding, setAdding] = useState(false);
  const [pending, setPending] = useState<Pending>();
  const { items, collectionProps, filterProps, paginationProps, filteredItemsCount, actions } = useCollection(members.data ?? [], {
    filtering: {
      filteringFunction: (m, text) => `${m.email ?? ''} ${m.name ?? ''}`.toLowerCase().includes(text.toLowerCase()),
      empty: <Box textAlign="center" color="inherit">No members yet: add the first one.</Box>,
      noMatch: <Box textAlign="center" color="inherit">No member matches the filter.</Box>,
    },
    pagination: { pageSize: 10 },
    sorting: { defaultState: { sortingColumn: { sortingField: 'email' } } },
    selection: { trackBy: 'userId' },
  });
  const selected = collectionProps.selectedItems?.[0];

  const showWarnings = (warnings: Schemas['Warning'][] | undefined) => {
    for (const w of warnings ?? []) flash.push({ type: 'warning', header: 'This team has no team administrator', content: <>{w.detail} (code: <code>{w.code}</code>)</> });
  };

  const change = useMutation({
    mutationFn: async ({ action, member }: Pending) => {
      const path = { orgId, teamId, userId: member.userId };
      if (action === 'remove') return call(client().DELETE('/v1/organizations/{orgId}/teams/{teamId}/members/{userId}', { params: { path } }));
      return call(client().PATCH('/v1/organizations/{orgId}/teams/{teamId}/members/{userId}', { params: { path }, body: { role: action === 'make-admin' ? 'ADMIN' : 'MEMBER' } }));
    },
    onSuccess: async (result, { action, member }) => {
      setPending(undefined);
      actions.setSelectedItems([]);
      await queryClient.invalidateQueries({ queryKey: keys.team(orgId, teamId) });
      await queryClient.invalidateQueries({ queryKey: ['org', orgId, 'teams'] });
      if (member.userId === me.userId) await queryClient.invalidateQueries({ queryKey: ['me'] });
      flash.success(action === 'remove' ? `${member.email ?? member.userId} is removed from the team` : `${member.email ?? member.userId} is now a team ${action === 'make-admin' ? 'administrator' : 'member'}`);
      showWarnings(result.warnings);
    },
    onError: (error, vars) => {
      setPending(undefined);
      flash.error(vars.action === 'remove' ? 'The member was not removed' : 'The role was not changed', error, () => change.mutate(vars));
    },
  });

  if (team.isError) return <LoadError error={team.error} onRetry={() => team.refetch()} what="this team" />;
  const hasAdmin = (members.data ?? []).some((m) => m.role === 'ADMIN');
  return (
    <ContentLayout header={<Header variant="h1" description="Team administrators add and manage members and check the team's credit usage.">{team.data ? `${team.data.name}: Team Members` : 'Team Members'}</Header>}>
      <SpaceBetween size="l">
        {team.data && (
          <Container header={<Header variant="h2" actions={<NavLink href={`/teams/${teamId}/usage`}>Credit usage</NavLink>}>Budget</Header>}>
            <ColumnLayout columns={4} variant="text-grid">
              <div><Box variant="awsui-key-label">Credit budget</Box><div>{budgetSummary(team.data)}</div></div>
              <div><Box variant="awsui-key-label">Consumed this period</Box><div>{formatNumber(team.data.periodConsumed)}</div></div>
              <div><Box variant="awsui-key-label">Remaining</Box><div>{team.data.remaining === null ? 'Shared pool' : formatNumber(team.data.remaining)}</div></div>
              <div><Box variant="awsui-key-label">Status</Box><div>{team.data.status === 'ACTIVE' ? 'Active' : 'Archived (no new members)'}</div></div>
            </ColumnLayout>
          </Container>
        )}
        {members.isSuccess && !hasAdmin && (
          <Alert type="warning" header="No team administrator">
            This team has no team administrator. We recommend at least one: select a member and make them administrator, or add one.
          </Alert>
        )}
        {members.isError ? (
          <LoadError error={members.error} onRetry={() => members.refetch()} what="the team's members" />
        ) : (
          <Table
            {...collectionProps}
            selectionType="single"
            variant="container"
            items={items}
            loading={members.isPending}
            loadingText="Loading members"
            ariaLabels={{ tableLabel: 'Team members', selectionGroupLabel: 'Select a member', itemSelectionLabel: (_, m) => `Select ${m.email ?? m.userId}`, allItemsSelectionLabel: () => 'Select all' }}
            header={
              <Header
                variant="h2"
                counter={members.data ? `(${members.data.length})` : undefined}
                actions={
                  <SpaceBetween direction="horizontal" size="xs">
                    <ButtonDropdown
                      disabled={!selected}
                      items={[
                        { id: 'make-admin', text: 'Make administrator', disabled: selected?.role !== 'MEMBER' },
                        { id: 'make-member', text: 'Make member', disabled: selected?.role !== 'ADMIN' },
                        { id: 'remove', text: 'Remove from team' },
                      ]}
                      onItemClick={(e) => selected && setPending({ action: e.detail.id as Pending['action'], member: selected })}
                    >
                      Actions
                    </ButtonDropdown>
                    <Button variant="primary" disabled={team.data?.status === 'ARCHIVED'} onClick={() => setAdding(true)}>Add Member</Button>
                  </SpaceBetween>
                }
              >
                Members
              </Header>
            }
            filter={<TextFilter {...filterProps} filteringPlaceholder="Find members" filteringAriaLabel="Find members" countText={`${filteredItemsCount ?? 0} matches`} />}
            pagination={<Pagination {...paginationProps} ariaLabels={{ nextPageLabel: 'Next page', previousPageLabel: 'Previous page', pageLabel: (n) => `Page ${n}` }} />}
            columnDefinitions={[
              { id: 'email', header: 'E-mail', cell: (m) => m.email ?? m.userId, sortingField: 'email', isRowHeader: true },
              { id: 'name', header: 'Name', cell: (m) => m.name ?? '—' },
              { id: 'role', header: 'Team role', cell: (m) => teamRoleLabel[m.role], sortingField: 'role' },
              { id: 'added', header: 'Added', cell: (m) => formatDate(m.addedAt), sortingField: 'addedAt' },
            ]}
          />
        )}
      </SpaceBetween>
      {adding && (
        <AddMemberModal
          orgId={orgId}
          teamId={teamId}
          existing={new Set((members.data ?? []).map((m) => m.userId))}
          onClose={() => setAdding(false)}
          onWarnings={showWarnings}
        />
      )}
      {pending && (
        <ConfirmModal
          visible
          title={pending.action === 'remove' ? 'Remove member' : pending.action === 'make-admin' ? 'Make team administrator' : 'Make team member'}
          confirmLabel={pending.action === 'remove' ? 'Remove' : 'Change role'}
          consequence={pending.action === 'remove'
            ? `${pending.member.email ?? pending.member.userId} will no longer be able to spend this team's credits. They stay in the organization.`
            : pending.action === 'make-admin'
              ? `${pending.member.email ?? pending.member.userId} will be able to add and manage this team's members and see its credit usage.`
              : `${pending.member.email ?? pending.member.userId} will no longer manage this team's members or see the whole team's usage.`}
          onDismiss={() => setPending(undefined)}
          onConfirm={() => change.mutateAsync(pending).catch(() => undefined)}
        />
      )}
    </ContentLayout>
  );
}
