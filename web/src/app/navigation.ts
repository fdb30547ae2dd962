import type { SideNavigationProps } from '@cloudscape-design/components/side-navigation';
import type { OrgContextValue } from './org';

/**
 * The side navigation a person is offered, by role: everyone has Home; an ACTIVE OWNER or ADMIN
 * has Enterprise Management (Users, Teams, Credits, Audit log); an ACTIVE member has, per team
 * seat, the team's usage, plus its members when they are the team's ADMIN; every ACTIVE member has
 * Assets (the reference library). A suspended member has Home only. (The routes check the same roles; the API decides in the end.)
 */
export function navigationItems(org: Pick<OrgContextValue, 'isOrgAdmin' | 'membership'> | undefined): SideNavigationProps.Item[] {
  const items: SideNavigationProps.Item[] = [{ type: 'link', text: 'Home', href: '/' }];
  if (org?.membership?.status === 'ACTIVE') items.push({ type: 'link', text: 'Assets', href: '/assets' });
  if (org?.isOrgAdmin) {
    items.push({
      type: 'section',
      text: 'Enterprise Management',
      items: [
        { type: 'link', text: 'Users', href: '/users' },
        { type: 'link', text: 'Teams', href: '/teams' },
        { type: 'link', text: 'Credits', href: '/credits' },
        { type: 'link', text: 'Audit log', href: '/audit-log' },
      ],
    });
  }
  const seats = org?.membership?.status === 'ACTIVE' ? org.membership.teams : [];
  if (seats.length > 0) {
    items.push({
      type: 'section',
      text: 'My teams',
      items: seats.flatMap((t): SideNavigationProps.Item[] => [
        ...(t.role === 'ADMIN' ? [{ type: 'link' as const, text: `${t.name ?? t.teamId}: team members`, href: `/teams/${t.teamId}` }] : []),
        { type: 'link', text: `${t.name ?? t.teamId}: usage`, href: `/teams/${t.teamId}/usage` },
      ]),
    });
  }
  return items;
}
