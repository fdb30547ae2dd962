import { useEffect, useState } from 'react';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Cards from '@cloudscape-design/components/cards';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Pagination from '@cloudscape-design/components/pagination';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import SegmentedControl from '@cloudscape-design/components/segmented-control';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import Toggle from '@cloudscape-design/components/toggle';
import { call, client } from '../../api/client';
import { LoadError, formatDate } from '../../components/common';
import { useCursorPages } from '../../components/cursor-pages';
import { assetKeys, statusType, useAssetRights, useStorage } from './assets';
import { AssetModal } from './AssetModal';
import { UploadModal } from './UploadModal';
import { formatBytes, type Asset } from './upload';

type View = 'grid' | 'table';

/** The reference library: the assets the caller may see, as cards or a table; upload, open, manage. */
export default function AssetsPage() {
  const rights = useAssetRights();
  const { orgId } = rights;
  const [view, setView] = useState<View>('grid');
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [teamId, setTeamId] = useState('');
  const [deleted, setDeleted] = useState(false);
  const [uploading, setUploading] = useState(false);
  const [open, setOpen] = useState<Asset>();
  // The name filter is sent once typing pauses.
  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), 300);
    return () => clearTimeout(timer);
  }, [text]);
  const pages = useCursorPages([...assetKeys.all(orgId), 'list', teamId, q, String(deleted)], (cursor) =>
    call(client().GET('/v1/organizations/{orgId}/assets', {
      params: { path: { orgId }, query: { limit: 24, cursor, ...(teamId ? { teamId } : {}), ...(q ? { q } : {}), ...(deleted ? { deleted: 'true' as const } : {}) } },
    })));
  const { reset } = pages;
  useEffect(() => reset(), [teamId, q, deleted]); // eslint-disable-line react-hooks/exhaustive-deps
  const storage = useStorage(orgId, rights.isOrgAdmin);

  const teamOptions = [{ value: '', label: 'All teams' }, ...rights.visibleTeams.map((t) => ({ value: t.teamId, label: t.name }))];
  const size = (a: Asset) => formatBytes(a.status === 'READY' || a.status === 'DELETED' ? a.size : a.declaredSize);
  const teams = (a: Asset) => (a.visibility === 'ORGANIZATION' ? 'Organization' : a.teamIds.map(rights.teamName).join(', '));
  const status = (a: Asset) => <StatusIndicator type={statusType[a.status]}>{a.status}</StatusIndicator>;
  const nameLink = (a: Asset) => <Button variant="inline-link" ariaLabel={`Open ${a.name}`} onClick={() => setOpen(a)}>{a.name}</Button>;
  const header = (
    <Header
      variant="h2"
      actions={
        <SpaceBetween direction="horizontal" size="xs">
          <SegmentedControl
            label="View"
            selectedId={view}
            onChange={(e) => setView(e.detail.selectedId as View)}
            options={[{ id: 'grid', text: 'Grid', iconName: 'view-full' }, { id: 'table', text: 'List', iconName: 'menu' }]}
          />
          {rights.canUpload && !deleted && <Button variant="primary" iconName="upload" onClick={() => setUploading(true)}>Upload</Button>}
        </SpaceBetween>
      }
    >
      {deleted ? 'Deleted assets' : 'Assets'}
    </Header>
  );
  const filter = (
    <SpaceBetween direction="horizontal" size="m" alignItems="center">
      <TextFilter filteringText={text} onChange={(e) => setText(e.detail.filteringText)} filteringPlaceholder="Find assets by name" filteringAriaLabel="Find assets by name" />
      <Select
        selectedOption={teamOptions.find((o) => o.value === teamId) ?? teamOptions[0]}
        onChange={(e) => setTeamId(e.detail.selectedOption.value ?? '')}
        options={teamOptions}
        ariaLabel="Team"
        inlineLabelText="Team"
      />
      {rights.isOrgAdmin && <Toggle checked={deleted} onChange={(e) => setDeleted(e.detail.checked)}>Show deleted</Toggle>}
    </SpaceBetween>
  );
  const empty = <Box textAlign="center" color="inherit">{q || teamId ? 'No asset matches the filters.' : deleted ? 'No deleted assets.' : 'No assets yet.'}</Box>;
  const pagination = <Pagination {...pages.paginationProps} />;
  // What the grid and the list share.
  const collection = {
    variant: 'container' as const, items: pages.items, loading: pages.query.isPending, loadingText: 'Loading assets', trackBy: 'assetId', header, filter, pagination, empty,
  };

  return (
    <ContentLayout header={<Header variant="h1" description="The organization's reference library: images, documents, audio and video.">Assets</Header>}>
      <SpaceBetween size="l">
        {rights.isOrgAdmin && storage.data && (
          <Container header={<Header variant="h2">Storage</Header>}>
            <SpaceBetween size="m">
              <ProgressBar
                label="Used of the quota"
                value={storage.data.quotaBytes > 0 ? Math.round(((storage.data.usedBytes + storage.data.reservedBytes) * 100) / storage.data.quotaBytes) : 0}
                additionalInfo={`${formatBytes(storage.data.usedBytes + storage.data.reservedBytes)} of ${formatBytes(storage.data.quotaBytes)}`}
              />
              <KeyValuePairs
                columns={4}
                items={[
                  { label: 'Quota', value: formatBytes(storage.data.quotaBytes) },
                  { label: 'Used', value: formatBytes(storage.data.usedBytes) },
                  { label: 'Reserved (uploads under way)', value: formatBytes(storage.data.reservedBytes) },
                  { label: 'Available', value: formatBytes(storage.data.availableBytes) },
                ]}
              />
            </SpaceBetween>
          </Container>
        )}
        {pages.query.isError ? (
          <LoadError error={pages.query.error} onRetry={() => pages.query.refetch()} what="the assets" />
        ) : view === 'grid' ? (
          <Cards
            {...collection}
            ariaLabels={{ cardsLabel: 'Assets', itemSelectionLabel: (_, a) => a.name, selectionGroupLabel: 'Assets' }}
            cardDefinition={{
              header: nameLink,
              sections: [
                { id: 'status', header: 'Status', content: status, width: 50 },
                { id: 'size', header: 'Size', content: size, width: 50 },
                { id: 'type', header: 'Type', content: (a) => a.contentType, width: 50 },
                { id: 'teams', header: 'Visible to', content: teams, width: 50 },
              ],
            }}
            cardsPerRow={[{ cards: 1 }, { minWidth: 500, cards: 2 }, { minWidth: 900, cards: 3 }]}
          />
        ) : (
          <Table
            {...collection}
            ariaLabels={{ tableLabel: 'Assets' }}
            columnDefinitions={[
              { id: 'name', header: 'Name', cell: nameLink, isRowHeader: true },
              { id: 'status', header: 'Status', cell: status },
              { id: 'size', header: 'Size', cell: size },
              { id: 'type', header: 'Type', cell: (a) => a.contentType },
              { id: 'visibility', header: 'Visibility', cell: (a) => (a.visibility === 'ORGANIZATION' ? 'Organization' : 'Teams') },
              { id: 'teams', header: 'Teams', cell: (a) => a.teamIds.map(rights.teamName).join(', ') || '—' },
              { id: 'created', header: 'Uploaded', cell: (a) => formatDate(a.createdAt) },
            ]}
          />
        )}
      </SpaceBetween>
      {uploading && <UploadModal orgId={orgId} teams={rights.adminTeams} teamsOnly={!rights.isOrgAdmin} onClose={() => setUploading(false)} />}
      {open && <AssetModal assetId={open.assetId} deleted={open.status === 'DELETED' ? open : undefined} onClose={() => setOpen(undefined)} />}
    </ContentLayout>
  );
}
