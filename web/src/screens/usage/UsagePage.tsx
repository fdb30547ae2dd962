import { useMemo, useState } from 'react';
import { useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import Alert from '@cloudscape-design/components/alert';
import BarChart from '@cloudscape-design/components/bar-chart';
import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { call, client } from '../../api/client';
import { useOrgUsers, useTeamMembers } from '../../api/queries';
import { LoadError, formatDay, formatNumber } from '../../components/common';
import { useOrg, useOrgId } from '../../app/org';

type Range = 'month' | '7d' | '30d' | 'all';
const ranges: { value: Range; label: string }[] = [
  { value: 'month', label: 'This month (UTC)' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
  { value: 'all', label: 'All time' },
];

function fromOf(range: Range): string | undefined {
  const now = new Date();
  if (range === 'month') return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
  if (range === '7d') return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 6)).toISOString();
  if (range === '30d') return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 29)).toISOString();
  return undefined;
}

/** A team's credit usage by member and by day: the whole team for org and team admins, one's own for a member. */
export default function UsagePage() {
  const orgId = useOrgId();
  const { teamId = '' } = useParams();
  const { me, isOrgAdmin, teamRole, membership } = useOrg();
  const [range, setRange] = useState<Range>('month');
  const from = fromOf(range);
  const byMember = useQuery({
    queryKey: ['org', orgId, 'team', teamId, 'usage', 'member', range],
    queryFn: () => call(client().GET('/v1/organizations/{orgId}/teams/{teamId}/usage', { params: { path: { orgId, teamId }, query: { groupBy: 'member', from } } })),
  });
  const byDay = useQuery({
    queryKey: ['org', orgId, 'team', teamId, 'usage', 'day', range],
    queryFn: () => call(client().GET('/v1/organizations/{orgId}/teams/{teamId}/usage', { params: { path: { orgId, teamId }, query: { groupBy: 'day', from } } })),
  });
  // E-mails for the member rows: the org's users (org admins) or the team's members (team admins).
  const users = useOrgUsers(orgId, isOrgAdmin);
  const members = useTeamMembers(orgId, teamId, !isOrgAdmin && teamRole(teamId) === 'ADMIN');
  const emailOf = useMemo(() => {
    const m = new Map<string, string>([[me.userId, `${me.email} (you)`]]);
    for (const u of users.data ?? []) if (u.userId !== me.userId) m.set(u.userId, u.email);
    for (const u of members.data ?? []) if (u.userId !== me.userId && u.email) m.set(u.userId, u.email);
    return (userId: string | undefined) => (userId ? m.get(userId) ?? userId : '—');
  }, [me, users.data, members.data]);
  const teamName = membership?.teams.find((t) => t.teamId === teamId)?.name;
  const days = (byDay.data?.rows ?? []).filter((r) => r.day);

  return (
    <ContentLayout header={<Header variant="h1" description="Credits consumed: consumptions plus captured holds.">{teamName ? `${teamName}: Usage` : 'Team usage'}</Header>}>
      <SpaceBetween size="l">
        <FormField label="Period">
          <Select
            selectedOption={ranges.find((r) => r.value === range)!}
            onChange={(e) => setRange(e.detail.selectedOption.value as Range)}
            options={ranges}
            ariaLabel="Period"
          />
        </FormField>
        {byMember.data?.ownUsageOnly && <Alert type="info">As a team member you see your own usage only.</Alert>}
        {byMember.isError ? (
          <LoadError error={byMember.error} onRetry={() => byMember.refetch()} what="this team's usage" />
        ) : (
          <>
            <Container header={<Header variant="h2" description={byDay.data ? `${formatNumber(byDay.data.consumed)} credits in the period` : undefined}>By day</Header>}>
              <BarChart
                series={[{ title: 'Credits consumed', type: 'bar', data: days.map((r) => ({ x: formatDay(r.day), y: r.consumed })) }]}
                xScaleType="categorical"
                xTitle="Day (UTC)"
                yTitle="Credits"
                height={220}
                hideFilter
                statusType={byDay.isPending ? 'loading' : byDay.isError ? 'error' : 'finished'}
                loadingText="Loading usage"
                errorText="The daily usage could not be loaded"
                ariaLabel="Credits consumed by day"
                empty={<Box textAlign="center" color="inherit">No consumption in this period.</Box>}
                i18nStrings={{ xTickFormatter: (x) => String(x), yTickFormatter: (y) => formatNumber(y) }}
              />
            </Container>
            <Table
              variant="container"
              header={<Header variant="h2" counter={byMember.data ? `(${byMember.data.rows.length})` : undefined}>By member</Header>}
              items={byMember.data?.rows ?? []}
              loading={byMember.isPending}
              loadingText="Loading usage"
              ariaLabels={{ tableLabel: 'Usage by member' }}
              empty={<Box textAlign="center" color="inherit">No consumption in this period.</Box>}
              columnDefinitions={[
                { id: 'member', header: 'Member', cell: (r) => emailOf(r.userId), isRowHeader: true },
                { id: 'consumed', header: 'Credits consumed', cell: (r) => formatNumber(r.consumed) },
                { id: 'count', header: 'Consumptions', cell: (r) => formatNumber(r.consumptions) },
              ]}
            />
            <Table
              variant="container"
              header={<Header variant="h2">By day (table)</Header>}
              items={days}
              loading={byDay.isPending}
              loadingText="Loading usage"
              ariaLabels={{ tableLabel: 'Usage by day' }}
              empty={<Box textAlign="center" color="inherit">No consumption in this period.</Box>}
              columnDefinitions={[
                { id: 'day', header: 'Day (UTC)', cell: (r) => formatDay(r.day), isRowHeader: true },
                { id: 'consumed', header: 'Credits consumed', cell: (r) => formatNumber(r.consumed) },
                { id: 'count', header: 'Consumptions', cell: (r) => formatNumber(r.consumptions) },
              ]}
            />
          </>
        )}
      </SpaceBetween>
    </ContentLayout>
  );
}
