import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { call, client } from '../../api/client';
import { fieldError, formatDate } from '../../components/common';
import { useFlash } from '../../components/flash';
import { NavLink } from '../../components/nav-link';
import { roleLabel, teamRoleLabel, useOrg, type Me } from '../../app/org';
import { markInteractive } from '../../app/metrics';

type Invitation = Me['invitations'][number];

export default function HomePage() {
  const { me, membership, isOrgAdmin } = useOrg();
  useEffect(markInteractive, []);
  return (
    <ContentLayout header={<Header variant="h1" description={me.email}>Welcome{me.name ? `, ${me.name}` : ''}</Header>}>
      <SpaceBetween size="l">
        <InvitationsForMe invitations={me.invitations} />
        {me.memberships.length === 0 && <CreateOrganization />}
        {membership && (
          <Container header={<Header variant="h2">{membership.orgName ?? 'Your organization'}</Header>}>
            <ColumnLayout columns={3} variant="text-grid">
              <div>
                <Box variant="awsui-key-label">Your role</Box>
                <div>{roleLabel[membership.role]}{membership.status === 'SUSPENDED' ? ' (suspended)' : ''}</div>
              </div>
              <div>
                <Box variant="awsui-key-label">Joined</Box>
                <div>{formatDate(membership.joinedAt)}</div>
              </div>
              {isOrgAdmin && (
                <div>
                  <Box variant="awsui-key-label">Enterprise Management</Box>
                  <SpaceBetween size="xxs" direction="horizontal">
                    <NavLink href="/users">Users</NavLink>
                    <NavLink href="/teams">Teams</NavLink>
                    <NavLink href="/credits">Credits</NavLink>
                  </SpaceBetween>
                </div>
              )}
            </ColumnLayout>
          </Container>
        )}
        {membership && membership.status === 'ACTIVE' && (
          <Table
            header={<Header variant="h2" counter={`(${membership.teams.length})`}>My teams</Header>}
            items={membership.teams}
            trackBy="teamId"
            variant="container"
            ariaLabels={{ tableLabel: 'My teams' }}
            empty={<Box textAlign="center" color="inherit">You are not on a team yet.</Box>}
            columnDefinitions={[
              { id: 'name', header: 'Team', cell: (t) => t.name ?? t.teamId },
              { id: 'role', header: 'Your team role', cell: (t) => teamRoleLabel[t.role] },
              {
                id: 'links', header: 'Open', cell: (t) => (
                  <SpaceBetween size="xs" direction="horizontal">
                    {t.role === 'ADMIN' && <NavLink href={`/teams/${t.teamId}`}>Team members</NavLink>}
                    <NavLink href={`/teams/${t.teamId}/usage`}>Usage</NavLink>
                  </SpaceBetween>
                ),
              },
            ]}
          />
        )}
      </SpaceBetween>
    </ContentLayout>
  );
}

function InvitationsForMe({ invitations }: { invitations: Invitation[] }) {
  const queryClient = useQueryClient();
  const flash = useFlash();
  const { selectOrg } = useOrg();
  const answer = useMutation({
    mutationFn: async ({ invitation, accept }: { invitation: Invitation; accept: boolean }) => {
      const params = { params: { path: { invitationId: invitation.invitationId } } };
      return accept ? call(client().POST('/v1/invitations/{invitationId}/accept', params)) : call(client().POST('/v1/invitations/{invitationId}/decline', params));
    },
    onSuccess: async (_, { invitation, accept }) => {
      if (accept) selectOrg(invitation.orgId);
      await queryClient.invalidateQueries({ queryKey: ['me'] });
      flash.success(accept ? `You joined ${invitation.orgName ?? 'the organization'}` : 'Invitation declined');
    },
    onError: (error, vars) => flash.error(vars.accept ? 'The invitation could not be accepted' : 'The invitation could not be declined', error, () => answer.mutate(vars)),
  });
  if (invitations.length === 0) return null;
  return (
    <Table
      header={<Header variant="h2" counter={`(${invitations.length})`} description="Organizations that invited you.">Invitations waiting for you</Header>}
      items={invitations}
      trackBy="invitationId"
      variant="container"
      ariaLabels={{ tableLabel: 'Invitations waiting for you' }}
      columnDefinitions={[
        { id: 'org', header: 'Organization', cell: (i) => i.orgName ?? i.orgId },
        { id: 'role', header: 'Role', cell: (i) => roleLabel[i.role] },
        { id: 'expires', header: 'Expires', cell: (i) => formatDate(i.expiresAt) },
        {
          id: 'actions', header: 'Answer', cell: (i) => (
            <SpaceBetween size="xs" direction="horizontal">
              <Button variant="primary" ariaLabel={`Accept the invitation to ${i.orgName ?? i.orgId}`}
                loading={answer.isPending && answer.variables?.invitation.invitationId === i.invitationId && answer.variables.accept}
                onClick={() => answer.mutate({ invitation: i, accept: true })}>Accept</Button>
              <Button ariaLabel={`Decline the invitation to ${i.orgName ?? i.orgId}`}
                onClick={() => answer.mutate({ invitation: i, accept: false })}>Decline</Button>
            </SpaceBetween>
          ),
        },
      ]}
    />
  );
}

function CreateOrganization() {
  const queryClient = useQueryClient();
  const flash = useFlash();
  const { selectOrg } = useOrg();
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: (orgName: string) => call(client().POST('/v1/organizations', { body: { name: orgName } })),
    onSuccess: async (org) => {
      selectOrg(org.orgId);
      await queryClient.invalidateQueries({ queryKey: ['me'] });
      flash.success(`${org.name} is created`, 'You are its owner. Invite your users next: Enterprise Management → Users → Invite Users.');
    },
    onError: (error, orgName) => flash.error('The organization could not be created', error, () => create.mutate(orgName)),
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate(name);
  }
  return (
    <form onSubmit={submit} noValidate>
      <Form actions={<Button variant="primary" formAction="submit" loading={create.isPending}>Create organization</Button>}>
        <Container header={<Header variant="h2" description="You are not in an organization yet. Create one and become its owner, or wait for an invitation.">Create your organization</Header>}>
          <FormField label="Organization name" errorText={fieldError(create.error, 'name')}>
            <Input value={name} onChange={(e) => setName(e.detail.value)} />
          </FormField>
        </Container>
      </Form>
    </form>
  );
}
