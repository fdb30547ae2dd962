import { describe, expect, it } from 'vitest';
import type { SideNavigationProps } from '@cloudscape-design/components/side-navigation';
import { navigationItems } from './navigation';
import { workingMembership, type Me, type Membership } from './org';

const membership = (over: Partial<Membership>): Membership => ({ orgId: 'org-1', orgName: 'Acme', role: 'USER', status: 'ACTIVE', teams: [], joinedAt: '2026-11-01T00:00:00Z', ...over });
const me = (...memberships: Membership[]): Me => ({ userId: 'u1', email: 'ada@example.com', emailVerified: true, createdAt: '2026-11-01T00:00:00Z', memberships, invitations: [] });

/** The links offered, as "Section > text" (top-level links without a section). */
function offered(m: Me, selected: string | null = null): string[] {
  const walk = (items: readonly SideNavigationProps.Item[], section?: string): string[] => items.flatMap((i) =>
    i.type === 'section' ? walk(i.items, i.text) : i.type === 'link' ? [`${section ? `${section} > ` : ''}${i.text} (${i.href})`] : []);
  return walk(navigationItems(workingMembership(m, selected)));
}

const ENTERPRISE = ['Enterprise Management > Users (/users)', 'Enterprise Management > Teams (/teams)', 'Enterprise Management > Credits (/credits)', 'Enterprise Management > Audit log (/audit-log)'];

describe('role-aware navigation', () => {
  it('someone in no organization yet: Home only', () => {
    expect(offered(me())).toEqual(['Home (/)']);
  });

  it('a USER with a member seat: Home and the team\'s usage, no Enterprise Management, no team members', () => {
    expect(offered(me(membership({ teams: [{ teamId: 't1', name: 'Design', role: 'MEMBER' }] })))).toEqual(['Home (/)', 'Assets (/assets)', 'My teams > Design: usage (/teams/t1/usage)']);
  });

  it('a USER who is a team ADMIN: the team\'s members and usage', () => {
    expect(offered(me(membership({ teams: [{ teamId: 't1', name: 'Design', role: 'ADMIN' }, { teamId: 't2', name: 'Video', role: 'MEMBER' }] })))).toEqual([
      'Home (/)', 'Assets (/assets)', 'My teams > Design: team members (/teams/t1)', 'My teams > Design: usage (/teams/t1/usage)', 'My teams > Video: usage (/teams/t2/usage)',
    ]);
  });

  it('an enterprise administrator (ADMIN) and the OWNER: Enterprise Management', () => {
    expect(offered(me(membership({ role: 'ADMIN' })))).toEqual(['Home (/)', 'Assets (/assets)', ...ENTERPRISE]);
    expect(offered(me(membership({ role: 'OWNER', teams: [{ teamId: 't1', name: 'Design', role: 'MEMBER' }] })))).toEqual(['Home (/)', 'Assets (/assets)', ...ENTERPRISE, 'My teams > Design: usage (/teams/t1/usage)']);
  });

  it('every ACTIVE member has Assets, even without a seat', () => {
    expect(offered(me(membership({})))).toEqual(['Home (/)', 'Assets (/assets)']);
  });

  it('a suspended member, even an ADMIN with seats: Home only', () => {
    expect(offered(me(membership({ role: 'ADMIN', status: 'SUSPENDED', teams: [{ teamId: 't1', name: 'Design', role: 'ADMIN' }] })))).toEqual(['Home (/)']);
  });

  it('in two organizations: the one chosen in this tab decides, else the first ACTIVE one', () => {
    const two = me(membership({ orgId: 'org-1', role: 'USER', status: 'SUSPENDED' }), membership({ orgId: 'org-2', role: 'OWNER' }));
    expect(workingMembership(two, null).membership?.orgId).toBe('org-2');
    expect(offered(two)).toEqual(['Home (/)', 'Assets (/assets)', ...ENTERPRISE]);
    expect(offered(two, 'org-1')).toEqual(['Home (/)']);
    expect(workingMembership(two, 'org-gone').membership?.orgId).toBe('org-2');
  });
});
