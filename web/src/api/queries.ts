import { useQuery } from '@tanstack/react-query';
import { allPages, call, client, type Schemas } from './client';

export type Member = Schemas['Member'];
export type Team = Schemas['Team'];
export type Invitation = Schemas['Invitation'];
export type TeamMember = Schemas['TeamMember'];

/** Query keys, one place: mutations invalidate by these prefixes. */
export const keys = {
  users: (orgId: string) => ['org', orgId, 'users'] as const,
  invitations: (orgId: string) => ['org', orgId, 'invitations'] as const,
  teams: (orgId: string, archived: string) => ['org', orgId, 'teams', archived] as const,
  team: (orgId: string, teamId: string) => ['org', orgId, 'team', teamId] as const,
  teamMembers: (orgId: string, teamId: string) => ['org', orgId, 'team', teamId, 'members'] as const,
  credits: (orgId: string) => ['org', orgId, 'credits'] as const,
};

/**
 * Every member of the organization (OWNER/ADMIN only), all pages. Without `q` the route lists full members (the
 * spec's items also admit a team ADMIN's directory-search entries, which only a `q` search answers).
 */
export function useOrgUsers(orgId: string, enabled = true) {
  return useQuery({
    queryKey: keys.users(orgId),
    enabled,
    queryFn: async (): Promise<Member[]> =>
      (await allPages((cursor) => call(client().GET('/v1/organizations/{orgId}/users', { params: { path: { orgId }, query: { limit: 100, cursor } } })))) as Member[],
  });
}

/** The organization's teams (OWNER/ADMIN only): archived = "false" | "true" | "all". */
export function useTeams(orgId: string, archived: 'false' | 'true' | 'all' = 'false', enabled = true) {
  return useQuery({
    queryKey: keys.teams(orgId, archived),
    enabled,
    queryFn: () => allPages((cursor) => call(client().GET('/v1/organizations/{orgId}/teams', { params: { path: { orgId }, query: { archived, limit: 100, cursor } } }))),
  });
}

export function useTeam(orgId: string, teamId: string) {
  return useQuery({
    queryKey: keys.team(orgId, teamId),
    queryFn: () => call(client().GET('/v1/organizations/{orgId}/teams/{teamId}', { params: { path: { orgId, teamId } } })),
  });
}

export function useTeamMembers(orgId: string, teamId: string, enabled = true) {
  return useQuery({
    queryKey: keys.teamMembers(orgId, teamId),
    enabled,
    queryFn: () => allPages((cursor) => call(client().GET('/v1/organizations/{orgId}/teams/{teamId}/members', { params: { path: { orgId, teamId }, query: { limit: 100, cursor } } }))),
  });
}
