import { useState } from 'react';
import Box from '@cloudscape-design/components/box';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import Pagination from '@cloudscape-design/components/pagination';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { call, client } from '../../api/client';
import { useOrgUsers } from '../../api/queries';
import { LoadError, formatDate } from '../../components/common';
import { dayAfter, dayStart, useCursorPages } from '../../components/cursor-pages';
import { DayRangeFields } from '../../components/day-range';
import { useOrgId } from '../../app/org';

function changes(before: Record<string, unknown>, after: Record<string, unknown>): string {
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return fields
    .filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]))
    .map((f) => `${f}: ${before[f] === undefined ? '—' : JSON.stringify(before[f])} → ${after[f] === undefined ? '—' : JSON.stringify(after[f])}`)
    .join('; ') || '—';
}

/** The organization's audit log, newest first, paged on the server (OWNER/ADMIN). */
export default function AuditPage() {
  const orgId = useOrgId();
  const users = useOrgUsers(orgId);
  const [fromDay, setFromDay] = useState('');
  const [toDay, setToDay] = useState('');
  const filters = { from: dayStart(fromDay), to: dayAfter(toDay) };
  const pages = useCursorPages(['org', orgId, 'audit', filters], (cursor) =>
    call(client().GET('/v1/organizations/{orgId}/audit-log', { params: { path: { orgId }, query: { ...filters, cursor, limit: 20 } } })));
  const who = new Map((users.data ?? []).map((u) => [u.userId, u.email]));
  return (
    <ContentLayout header={<Header variant="h1" description="Who changed what, newest first. Entries are never edited.">Audit log</Header>}>
      {pages.query.isError ? (
        <LoadError error={pages.query.error} onRetry={() => pages.query.refetch()} what="the audit log" />
      ) : (
        <Table
          variant="container"
          items={pages.items}
          loading={pages.query.isPending}
          loadingText="Loading the audit log"
          ariaLabels={{ tableLabel: 'Audit log' }}
          empty={<Box textAlign="center" color="inherit">No entries.</Box>}
          header={<Header variant="h2">Entries</Header>}
          filter={
            <SpaceBetween direction="horizontal" size="m">
              <DayRangeFields from={fromDay} to={toDay}
                onFrom={(d) => { setFromDay(d); pages.reset(); }} onTo={(d) => { setToDay(d); pages.reset(); }} />
            </SpaceBetween>
          }
          pagination={<Pagination {...pages.paginationProps} />}
          columnDefinitions={[
            { id: 'at', header: 'When', cell: (e) => formatDate(e.at), isRowHeader: true },
            { id: 'actor', header: 'Actor', cell: (e) => who.get(e.actor) ?? e.actor },
            { id: 'action', header: 'Action', cell: (e) => e.action },
            { id: 'target', header: 'Target', cell: (e) => `${e.target.type} ${who.get(e.target.id) ?? e.target.id}` },
            { id: 'change', header: 'Change', cell: (e) => changes(e.before, e.after) },
          ]}
        />
      )}
    </ContentLayout>
  );
}
