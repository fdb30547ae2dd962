import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Link from '@cloudscape-design/components/link';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { call, client } from '../../api/client';
import { ConfirmModal, LoadError, fieldError, formatDate } from '../../components/common';
import { formProblem, useFlash } from '../../components/flash';
import { Loading } from '../../components/loading';
import { assetKeys, statusType, useAssetRights } from './assets';
import { formatBytes, type Asset } from './upload';
import { VisibilityFields } from './VisibilityFields';

/** One asset: its metadata, the download link (and a preview of an image); rename, share, delete, restore. */
export function AssetModal({ assetId, deleted, onClose }: { assetId: string; deleted?: Asset; onClose: () => void }) {
  const rights = useAssetRights();
  const { orgId } = rights;
  const queryClient = useQueryClient();
  const flash = useFlash();
  // A deleted asset is not answered by GET (404): the list's copy is shown.
  const asset = useQuery({
    queryKey: [...assetKeys.all(orgId), 'one', assetId],
    enabled: !deleted,
    queryFn: () => call(client().GET('/v1/organizations/{orgId}/assets/{assetId}', { params: { path: { orgId, assetId } } })),
  });
  const shown = deleted ?? asset.data;
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState('');
  const [visibility, setVisibility] = useState<'ORGANIZATION' | 'TEAMS'>('ORGANIZATION');
  const [teamIds, setTeamIds] = useState<string[]>([]);
  const [deleting, setDeleting] = useState(false);
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: assetKeys.all(orgId) });
    await queryClient.invalidateQueries({ queryKey: assetKeys.storage(orgId) });
  };

  const update = useMutation({
    mutationFn: () => call(client().PATCH('/v1/organizations/{orgId}/assets/{assetId}', {
      params: { path: { orgId, assetId } },
      body: { name: name.trim(), visibility, ...(visibility === 'TEAMS' ? { teamIds } : {}) },
    })),
    onSuccess: async (a) => {
      setEditing(false);
      await refresh();
      flash.success(`${a.name} is saved`);
    },
  });
  const remove = useMutation({
    mutationFn: () => call(client().DELETE('/v1/organizations/{orgId}/assets/{assetId}', { params: { path: { orgId, assetId } } })),
    onSuccess: async () => {
      await refresh();
      flash.success(`${shown?.name ?? 'The asset'} is deleted`, rights.isOrgAdmin ? 'It can be restored for 30 days (Show deleted).' : undefined);
      onClose();
    },
    onError: (error) => { setDeleting(false); flash.error('The asset was not deleted', error); onClose(); },
  });
  const restore = useMutation({
    mutationFn: () => call(client().POST('/v1/organizations/{orgId}/assets/{assetId}/restore', { params: { path: { orgId, assetId } } })),
    onSuccess: async (a) => {
      await refresh();
      flash.success(`${a.name} is restored`);
      onClose();
    },
    onError: (error) => { flash.error('The asset was not restored', error); onClose(); },
  });

  const manage = !!shown && rights.canManage(shown);
  const startEditing = (a: Asset) => {
    setName(a.name);
    setVisibility(a.visibility);
    setTeamIds(a.teamIds);
    setEditing(true);
  };

  return (
    <Modal
      visible
      size="large"
      onDismiss={onClose}
      header={shown?.name ?? 'Asset'}
      closeAriaLabel="Close"
      footer={shown && (
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            {shown.status === 'DELETED' && rights.isOrgAdmin && <Button loading={restore.isPending} onClick={() => restore.mutate()}>Restore</Button>}
            {manage && shown.status !== 'DELETED' && !editing && <Button onClick={() => setDeleting(true)}>Delete</Button>}
            {manage && (shown.status === 'READY' || shown.status === 'UPLOADING') && !editing && <Button onClick={() => startEditing(shown)}>Edit</Button>}
            {editing && <Button variant="link" onClick={() => setEditing(false)}>Cancel</Button>}
            {editing && <Button variant="primary" loading={update.isPending} onClick={() => update.mutate()}>Save</Button>}
            {!editing && <Button variant="primary" onClick={onClose}>Close</Button>}
          </SpaceBetween>
        </Box>
      )}
    >
      {!shown ? (
        asset.isError ? <LoadError error={asset.error} onRetry={() => asset.refetch()} what="this asset" /> : <Loading />
      ) : editing ? (
        <SpaceBetween size="m">
          {formProblem(update.error) && <Box color="text-status-error">{formProblem(update.error)}</Box>}
          <FormField label="Name" errorText={fieldError(update.error, 'name')}>
            <Input value={name} onChange={(e) => setName(e.detail.value)} ariaLabel="Name" />
          </FormField>
          <VisibilityFields
            visibility={visibility}
            teamIds={teamIds}
            teams={rights.adminTeams}
            teamsOnly={!rights.isOrgAdmin}
            teamsError={fieldError(update.error, 'teamIds')}
            onChange={(v, ids) => { setVisibility(v); setTeamIds(ids); }}
          />
        </SpaceBetween>
      ) : (
        <SpaceBetween size="l">
          <KeyValuePairs
            columns={3}
            items={[
              { label: 'Status', value: <StatusIndicator type={statusType[shown.status]}>{shown.status}</StatusIndicator> },
              { label: 'Type', value: shown.contentType },
              { label: 'Size', value: formatBytes(shown.status === 'READY' ? shown.size : shown.declaredSize) },
              { label: 'Visibility', value: shown.visibility === 'ORGANIZATION' ? 'Organization' : 'Teams' },
              { label: 'Teams', value: shown.teamIds.map(rights.teamName).join(', ') || '—' },
              { label: 'Uploaded', value: formatDate(shown.createdAt) },
              ...(shown.rejection ? [{ label: 'Reason', value: shown.rejection }] : []),
              ...(shown.deletedAt ? [{ label: 'Deleted', value: formatDate(shown.deletedAt) }] : []),
              ...(shown.downloadUrl ? [{
                label: 'Download',
                value: <Link href={shown.downloadUrl} external externalIconAriaLabel="(opens in a new tab)">Download file</Link>,
                info: <Box variant="small">Link valid until {formatDate(shown.downloadExpiresAt)}</Box>,
              }] : []),
            ]}
          />
          {shown.downloadUrl && shown.contentType.startsWith('image/') && (
            <img src={shown.downloadUrl} alt={`Preview of ${shown.name}`} style={{ maxWidth: '100%', maxHeight: 360 }} />
          )}
        </SpaceBetween>
      )}
      {deleting && shown && (
        <ConfirmModal
          visible
          title="Delete asset"
          confirmLabel="Delete"
          consequence={`${shown.name} is hidden at once and its bytes leave the storage quota.${rights.isOrgAdmin ? ' An owner or administrator can restore it within 30 days.' : ''}`}
          onDismiss={() => setDeleting(false)}
          onConfirm={() => remove.mutateAsync().catch(() => undefined)}
        />
      )}
    </Modal>
  );
}
