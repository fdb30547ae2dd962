import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { Route, Routes, useLocation, useNavigate, useParams } from 'react-router';
import AppLayout from '@cloudscape-design/components/app-layout';
import SideNavigation from '@cloudscape-design/components/side-navigation';
import TopNavigation from '@cloudscape-design/components/top-navigation';
import Box from '@cloudscape-design/components/box';
import { FlashProvider, Flashbar, useFlash } from '../components/flash';
import { LoadError, NotAllowed } from '../components/common';
import { OrgProvider, useMe, useOptionalOrg, useOrg } from './org';
import { signedInEmail } from '../auth/session';
import { Loading } from '../components/loading';
import { navigationItems } from './navigation';

const screens = {
  home: () => import('../screens/home/HomePage'),
  users: () => import('../screens/users/UsersPage'),
  teams: () => import('../screens/teams/TeamsPage'),
  teamMembers: () => import('../screens/team-members/TeamMembersPage'),
  usage: () => import('../screens/usage/UsagePage'),
  credits: () => import('../screens/credits/CreditsPage'),
  audit: () => import('../screens/audit/AuditPage'),
  assets: () => import('../screens/assets/AssetsPage'),
};
const HomePage = lazy(screens.home);
const UsersPage = lazy(screens.users);
const TeamsPage = lazy(screens.teams);
const TeamMembersPage = lazy(screens.teamMembers);
const UsagePage = lazy(screens.usage);
const CreditsPage = lazy(screens.credits);
const AuditPage = lazy(screens.audit);
const AssetsPage = lazy(screens.assets);

// The screen of the address the page was loaded on starts loading with this chunk, alongside
// /v1/me, rather than after it.
const path = window.location.pathname;
void (path === '/' ? screens.home() : path === '/users' ? screens.users() : path === '/teams' ? screens.teams()
  : /^\/teams\/[^/]+\/usage$/.test(path) ? screens.usage() : /^\/teams\/[^/]+$/.test(path) ? screens.teamMembers()
  : path === '/credits' ? screens.credits() : path === '/audit-log' ? screens.audit() : path === '/assets' ? screens.assets() : undefined)?.catch(() => undefined);

/** The signed-in console: the caller's profile, then the screens their role opens. */
export default function SignedIn() {
  const me = useMe();
  if (me.isPending) return <Loading />;
  if (me.isError) {
    return (
      <Shell>
        <LoadError error={me.error} onRetry={() => me.refetch()} what="your profile" />
      </Shell>
    );
  }
  return (
    <OrgProvider me={me.data}>
      <Shell>
        <Suspense fallback={<Loading />}>
          <Routes>
            <Route path="/" element={<HomePage />} />
            <Route path="/users" element={<OrgAdmin what="Users"><UsersPage /></OrgAdmin>} />
            <Route path="/teams" element={<OrgAdmin what="Teams"><TeamsPage /></OrgAdmin>} />
            <Route path="/teams/:teamId" element={<TeamAdmin><TeamMembersPage /></TeamAdmin>} />
            <Route path="/teams/:teamId/usage" element={<TeamSeat><UsagePage /></TeamSeat>} />
            <Route path="/credits" element={<OrgAdmin what="Credits"><CreditsPage /></OrgAdmin>} />
            <Route path="/audit-log" element={<OrgAdmin what="the audit log"><AuditPage /></OrgAdmin>} />
            <Route path="/assets" element={<ActiveMember what="the assets"><AssetsPage /></ActiveMember>} />
            <Route path="*" element={<NotFound />} />
          </Routes>
        </Suspense>
      </Shell>
    </OrgProvider>
  );
}

function OrgAdmin({ what, children }: { what: string; children: ReactNode }) {
  const { isOrgAdmin } = useOrg();
  return isOrgAdmin ? children : <NotAllowed what={what} />;
}

function ActiveMember({ what, children }: { what: string; children: ReactNode }) {
  const { membership } = useOrg();
  return membership?.status === 'ACTIVE' ? children : <NotAllowed what={what} />;
}

function TeamAdmin({ children }: { children: ReactNode }) {
  const { isOrgAdmin, teamRole } = useOrg();
  const { teamId = '' } = useParams();
  return isOrgAdmin || teamRole(teamId) === 'ADMIN' ? children : <NotAllowed what="this team's members" />;
}

function TeamSeat({ children }: { children: ReactNode }) {
  const { isOrgAdmin, teamRole } = useOrg();
  const { teamId = '' } = useParams();
  return isOrgAdmin || teamRole(teamId) ? children : <NotAllowed what="this team's usage" />;
}

function NotFound() {
  return <Box variant="h1">Page not found</Box>;
}

function Shell({ children }: { children: ReactNode }) {
  const navigate = useNavigate();
  const location = useLocation();
  const [navigationOpen, setNavigationOpen] = useState(true);
  const org = useOptionalOrg();
  const organizations = org?.me.memberships ?? [];
  return (
    <FlashProvider>
      {(flashes) => (
        <>
          <ClearFlashesOnNavigation path={location.pathname} />
          <div id="top-nav" style={{ position: 'sticky', top: 0, zIndex: 1002 }}>
            <TopNavigation
              identity={{ href: '/', title: 'Enterprise Admin', onFollow: (e) => { e.preventDefault(); navigate('/'); } }}
              utilities={[
                ...(organizations.length > 1 && org ? [{
                  type: 'menu-dropdown' as const,
                  text: org.orgName ?? 'Organization',
                  description: 'Switch organization',
                  iconName: 'group' as const,
                  items: organizations.map((m) => ({ id: m.orgId, text: m.orgName ?? m.orgId, disabled: m.orgId === org.orgId })),
                  onItemClick: (e: { detail: { id: string } }) => {
                    org.selectOrg(e.detail.id);
                    navigate('/');
                  },
                }] : []),
                {
                  type: 'menu-dropdown',
                  text: signedInEmail() ?? 'Account',
                  iconName: 'user-profile',
                  items: [{ id: 'signout', text: 'Sign out' }],
                  onItemClick: (e) => {
                    if (e.detail.id === 'signout') navigate('/signout');
                  },
                },
              ]}
            />
          </div>
          <AppLayout
            headerSelector="#top-nav"
            toolsHide
            navigationOpen={navigationOpen}
            onNavigationChange={(e) => setNavigationOpen(e.detail.open)}
            ariaLabels={{ navigation: 'Side navigation', navigationClose: 'Close side navigation', navigationToggle: 'Open side navigation', notifications: 'Notifications' }}
            notifications={<Flashbar items={flashes} stackItems={false} />}
            navigation={<Navigation activeHref={location.pathname} />}
            content={children}
          />
        </>
      )}
    </FlashProvider>
  );
}

function Navigation({ activeHref }: { activeHref: string }) {
  const navigate = useNavigate();
  const org = useOptionalOrg();
  const items = navigationItems(org);
  const active = items
    .flatMap((i) => (i.type === 'section' ? i.items : [i]))
    .map((i) => ('href' in i ? i.href : ''))
    .filter((href) => href === activeHref || (href !== '/' && activeHref.startsWith(href + '/') && !href.startsWith('/teams/')))
    .sort((a, b) => b.length - a.length)[0] ?? activeHref;
  return (
    <SideNavigation
      header={{ href: '/', text: org?.orgName ?? 'Enterprise Admin' }}
      activeHref={active}
      items={items}
      onFollow={(e) => {
        if (!e.detail.external) {
          e.preventDefault();
          navigate(e.detail.href);
        }
      }}
    />
  );
}

/** Messages belong to the screen they were raised on: another screen starts with none. */
function ClearFlashesOnNavigation({ path }: { path: string }) {
  const flash = useFlash();
  useEffect(() => flash.clear(), [path, flash]);
  return null;
}
