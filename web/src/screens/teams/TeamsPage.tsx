import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCollection } from '@cloudscape-design/collection-hooks';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import Pagination from '@cloudscape-design/components/pagination';
import SegmentedControl from '@cloudscape-design/components/segmented-control';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import { ApiError, call, client, etag } from '../../api/client';
import { useTeams, type Team } from '../../api/queries';
import { ConfirmModal, LoadError, formatNumber } from '../../components/common';
import { useFlash } from '../../components/flash';
import { useOrgId } from '../../app/org';
import { CreateTeamModal } from './CreateTeamModal';
import { CreditBudgetModal } from './CreditBudgetModal';
import { modeLabel, periodLabel } from './budget';

type Show = 'false' | 'true' | 'all';

export default function TeamsPage() {
  const orgId = useOrgId();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const flash = useFlash();
  const [show, setShow] = useState<Show>('false');
  const teams = useTeams(orgId, show);
  const [creating, setCreating] = useState(false);
  const [budgetOf, setBudgetOf] = useState<Team>();
  const [archiving, setArchiving] = useState<Team>();
  const { items, collectionProps, filterProps, paginationProps, filteredItemsCount, actions } = useCollection(teams.data ?? [], {
    filtering: {
      filteringFunction: (t, text) => t.name.toLowerCase().includes(text.toLowerCase()),
      empty: <Box textAlign="center" color="inherit">No teams yet: create the first one.</Box>,
      noMatch: <Box textAlign="center" color="inherit">No team matches the filter.</Box>,
    },
    pagination: { pageSize: 10 },
    sorting: { defaultState: { sortingColumn: { sortingField: 'name' } } },
    selection: { trackBy: 'teamId', keepSelection: false },
  });
  const selected = collectionProps.selectedItems?.[0];

  const archive = useMutation({
    mutationFn: (team: Team) => call(client().PATCH('/v1/organizations/{orgId}/teams/{teamId}', {
      params: { path: { orgId, teamId: team.teamId }, header: { 'If-Match': etag(team.version) } },
      body: { archived: team.status === 'ACTIVE' },
    })),
    onSuccess: async (team) => {
      setArchiving(undefined);
      actions.setSelectedItems([]);
      await queryClient.invalidateQueries({ queryKey: ['org', orgId] });
      flash.success(team.status === 'ARCHIVED' ? `Team ${team.name} is archived` : `Team ${team.name} is active again`);
    },
    onError: async (error, team) => {
      setArchiving(undefined);
      if (error instanceof ApiError && error.status === 412) {
        await queryClient.invalidateQueries({ queryKey: ['org', orgId] });
        flash.push({ type: 'warning', header: 'Someone else changed this team first', content: <>The list now shows the latest version of {team.name} (code: <code>version-mismatch</code>). Check it and try again.</> });
        return;
      }
      flash.error('The team was not changed', error, () => archive.mutate(team));
    },
  });

  return (
    <ContentLayout header={<Header variant="h1" description="Teams, their credit budgets and what they used this period.">Teams</Header>}>
      {teams.isError ? (
        <LoadError error={teams.error} onRetry={() => teams.refetch()} what="the teams" />
      ) : (
        <Table
          {...collectionProps}
          selectionType="single"
          variant="container"
          items={items}
          loading={teams.isPending}
          loadingText="Loading teams"
          ariaLabels={{ tableLabel: 'Teams', selectionGroupLabel: 'Select a team', itemSelectionLabel: (_, t) => `Select ${t.name}`, allItemsSelectionLabel: () => 'Select all' }}
          header={
            <Header
              variant="h2"
              counter={teams.data ? `(${teams.data.length})` : undefined}
              actions={
                <SpaceBetween direction="horizontal" size="xs">
                  <Button disabled={!selected} onClick={() => selected && navigate(`/teams/${selected.teamId}`)}>Team Members</Button>
                  <Button disabled={!selected} onClick={() => selected && navigate(`/teams/${selected.teamId}/usage`)}>Usage</Button>
                  <Button disabled={!selected || selected.status !== 'ACTIVE'} onClick={() => setBudgetOf(selected)}>Credit Budget</Button>
                  <Button disabled={!selected} onClick={() => setArchiving(selected)}>{selected?.status === 'ARCHIVED' ? 'Unarchive' : 'Archive'}</Button>
                  <Button variant="primary" onClick={() => setCreating(true)}>Create New Team</Button>
                </SpaceBetween>
              }
            >
              Teams
            </Header>
          }
          filter={
            <SpaceBetween direction="horizontal" size="m">
              <TextFilter {...filterProps} filteringPlaceholder="Find teams" filteringAriaLabel="Find teams" countText={`${filteredItemsCount ?? 0} matches`} />
              <SegmentedControl
                label="Show"
                selectedId={show}
                onChange={(e) => { setShow(e.detail.selectedId as Show); actions.setSelectedItems([]); }}
                options={[{ id: 'false', text: 'Active' }, { id: 'true', text: 'Archived' }, { id: 'all', text: 'All' }]}
              />
            </SpaceBetween>
          }
          pagination={<Pagination {...paginationProps} ariaLabels={{ nextPageLabel: 'Next page', previousPageLabel: 'Previous page', pageLabel: (n) => `Page ${n}` }} />}
          columnDefinitions={[
            { id: 'name', header: 'Name', cell: (t) => t.name, sortingField: 'name', isRowHeader: true },
            { id: 'mode', header: 'Budget mode', cell: (t) => modeLabel[t.budget.mode] },
            { id: 'limit', header: 'Limit', cell: (t) => (t.budget.mode === 'LIMITED' ? formatNumber(t.budget.limit) : '—') },
            { id: 'period', header: 'Period', cell: (t) => (t.budget.mode === 'LIMITED' ? periodLabel[t.budget.period] : '—') },
            { id: 'consumed', header: 'Consumed this period', cell: (t) => formatNumber(t.periodConsumed), sortingField: 'periodConsumed' },
            { id: 'remaining', header: 'Remaining', cell: (t) => (t.remaining === null ? 'Shared pool' : formatNumber(t.remaining)) },
            { id: 'members', header: 'Members', cell: (t) => formatNumber(t.memberCount), sortingField: 'memberCount' },
            {
              id: 'status', header: 'Status',
              cell: (t) => <StatusIndicator type={t.status === 'ACTIVE' ? 'success' : 'stopped'}>{t.status === 'ACTIVE' ? 'Active' : 'Archived'}</StatusIndicator>,
            },
          ]}
        />
      )}
      {creating && <CreateTeamModal orgId={orgId} onClose={() => setCreating(false)} />}
      {budgetOf && <CreditBudgetModal orgId={orgId} team={budgetOf} onClose={() => { setBudgetOf(undefined); actions.setSelectedItems([]); }} />}
      {archiving && (
        <ConfirmModal
          visible
          title={archiving.status === 'ACTIVE' ? 'Archive team' : 'Unarchive team'}
          confirmLabel={archiving.status === 'ACTIVE' ? 'Archive' : 'Unarchive'}
          consequence={archiving.status === 'ACTIVE'
            ? `${archiving.name} will accept no new members and no consumption; its open credit holds are released now. Members, name and history are kept, and you can unarchive it later.`
            : `${archiving.name} becomes active again: its members can spend credits within its budget.`}
          onDismiss={() => setArchiving(undefined)}
          onConfirm={() => archive.mutateAsync(archiving).catch(() => undefined)}
        />
      )}
    </ContentLayout>
  );
}
