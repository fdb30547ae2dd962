import { useQuery } from '@tanstack/react-query';
import { call, client } from '../../api/client';
import { useTeams } from '../../api/queries';
import { useOrg } from '../../app/org';
import type { Asset, UploadApi } from './upload';

export interface TeamOption {
  teamId: string;
  name: string;
}

/**
 * What the caller may do with assets: OWNER/ADMIN manage all; a team ADMIN uploads for, and manages the assets
 * shared only with, the teams they administer. (The API decides in the end: 403/404 are shown as they come.)
 */
export function useAssetRights() {
  const org = useOrg();
  const orgId = org.orgId ?? '';
  const teams = useTeams(orgId, 'false', org.isOrgAdmin);
  const seats = org.membership?.status === 'ACTIVE' ? org.membership.teams : [];
  const visibleTeams: TeamOption[] = org.isOrgAdmin
    ? (teams.data ?? []).map((t) => ({ teamId: t.teamId, name: t.name }))
    : seats.map((t) => ({ teamId: t.teamId, name: t.name ?? t.teamId }));
  const adminTeams = org.isOrgAdmin ? visibleTeams : seats.filter((t) => t.role === 'ADMIN').map((t) => ({ teamId: t.teamId, name: t.name ?? t.teamId }));
  const adminIds = new Set(adminTeams.map((t) => t.teamId));
  return {
    orgId,
    isOrgAdmin: org.isOrgAdmin,
    canUpload: org.isOrgAdmin || adminTeams.length > 0,
    /** The teams shown in the filter (all for OWNER/ADMIN; the caller's seats otherwise). */
    visibleTeams,
    /** The teams an upload or a change may share with. */
    adminTeams,
    canManage: (asset: Asset) => org.isOrgAdmin || (asset.visibility === 'TEAMS' && asset.teamIds.length > 0 && asset.teamIds.every((id) => adminIds.has(id))),
    teamName: (teamId: string) => visibleTeams.find((t) => t.teamId === teamId)?.name ?? teamId,
  };
}

export const assetKeys = {
  all: (orgId: string) => ['org', orgId, 'assets'] as const,
  storage: (orgId: string) => ['org', orgId, 'storage'] as const,
};

/** The real calls of an upload. */
export function uploadApi(orgId: string): UploadApi {
  return {
    start: (body) => call(client().POST('/v1/organizations/{orgId}/assets', { params: { path: { orgId } }, body })),
    complete: (assetId) => call(client().POST('/v1/organizations/{orgId}/assets/{assetId}/complete', { params: { path: { orgId, assetId } } })),
    abandon: (assetId) => call(client().DELETE('/v1/organizations/{orgId}/assets/{assetId}', { params: { path: { orgId, assetId } } })),
  };
}

export function useStorage(orgId: string, enabled: boolean) {
  return useQuery({
    queryKey: assetKeys.storage(orgId),
    enabled,
    queryFn: () => call(client().GET('/v1/organizations/{orgId}/storage', { params: { path: { orgId } } })),
  });
}

export const statusType: Record<Asset['status'], 'success' | 'in-progress' | 'error' | 'stopped' | 'warning'> = {
  READY: 'success',
  UPLOADING: 'in-progress',
  REJECTED: 'error',
  ABANDONED: 'warning',
  DELETED: 'stopped',
};
