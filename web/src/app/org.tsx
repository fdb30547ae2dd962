import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { call, client, type Schemas } from '../api/client';

export type Me = Schemas['Me'];
export type Membership = Me['memberships'][number];
export type TeamRole = Schemas['TeamRole'];

export interface OrgContextValue {
  me: Me;
  /** The organization the console is working in (one membership of the caller), if any. */
  membership?: Membership;
  orgId?: string;
  orgName?: string;
  /** OWNER or ADMIN, ACTIVE. */
  isOrgAdmin: boolean;
  teamRole(teamId: string): TeamRole | undefined;
  selectOrg(orgId: string): void;
}

const ORG_KEY = 'enterprise-admin.org';
const Context = createContext<OrgContextValue | undefined>(undefined);

export const meQuery = {
  queryKey: ['me'] as const,
  queryFn: () => call(client().GET('/v1/me')),
};

export function useMe() {
  return useQuery(meQuery);
}

/**
 * The membership the console works in: the organization chosen in this tab, else the first ACTIVE
 * one, else any; and whether it administers that organization (OWNER or ADMIN, and ACTIVE).
 */
export function workingMembership(me: Me, selected: string | null): { membership?: Membership; isOrgAdmin: boolean } {
  const membership = me.memberships.find((m) => m.orgId === selected) ?? me.memberships.find((m) => m.status === 'ACTIVE') ?? me.memberships[0];
  return { membership, isOrgAdmin: !!membership && membership.status === 'ACTIVE' && (membership.role === 'OWNER' || membership.role === 'ADMIN') };
}

export function OrgProvider({ me, children }: { me: Me; children: ReactNode }) {
  const [selected, setSelected] = useState<string | null>(() => sessionStorage.getItem(ORG_KEY));
  const { membership, isOrgAdmin } = workingMembership(me, selected);
  // No write-back of the fallback: an organization just chosen (an invitation accepted) is not in
  // the profile until /v1/me is fetched again, and must still be the one shown then.
  const value = useMemo<OrgContextValue>(() => ({
    me,
    membership,
    orgId: membership?.orgId,
    orgName: membership?.orgName,
    isOrgAdmin,
    teamRole: (teamId) => (membership?.status === 'ACTIVE' ? membership.teams.find((t) => t.teamId === teamId)?.role : undefined),
    selectOrg: (orgId) => {
      sessionStorage.setItem(ORG_KEY, orgId);
      setSelected(orgId);
    },
  }), [me, membership, isOrgAdmin]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useOrg(): OrgContextValue {
  const value = useContext(Context);
  if (!value) throw new Error('useOrg outside OrgProvider');
  return value;
}

/** The org id of a screen that needs one (the routes guard that it exists). */
export function useOrgId(): string {
  const { orgId } = useOrg();
  if (!orgId) throw new Error('no organization');
  return orgId;
}

export const roleLabel: Record<Schemas['OrgRole'], string> = {
  OWNER: 'Owner',
  ADMIN: 'Enterprise administrator',
  USER: 'User',
};

export const teamRoleLabel: Record<TeamRole, string> = { ADMIN: 'Administrator', MEMBER: 'Member' };

/** The org context when there is one (the shell is also shown before the profile loads). */
export function useOptionalOrg(): OrgContextValue | undefined {
  return useContext(Context);
}
