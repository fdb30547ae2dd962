import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import Multiselect, { type MultiselectProps } from '@cloudscape-design/components/multiselect';
import RadioGroup from '@cloudscape-design/components/radio-group';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { call, client } from '../../api/client';
import { keys, useTeams } from '../../api/queries';
import { fieldError } from '../../components/common';
import { formProblem, useFlash } from '../../components/flash';

type Role = 'ADMIN' | 'USER';
type TeamRole = 'ADMIN' | 'MEMBER';

/** [Users] → [Invite Users]: e-mail, role (enterprise administrator / user), optional teams. */
export function InviteUsersModal({ orgId, onClose }: { orgId: string; onClose: () => void }) {
  const queryClient = useQueryClient();
  const flash = useFlash();
  const teams = useTeams(orgId, 'false');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('USER');
  const [selectedTeams, setSelectedTeams] = useState<readonly MultiselectProps.Option[]>([]);
  const [teamRole, setTeamRole] = useState<TeamRole>('MEMBER');
  const [emailError, setEmailError] = useState<string>();

  const invite = useMutation({
    mutationFn: () => call(client().POST('/v1/organizations/{orgId}/invitations', {
      params: { path: { orgId } },
      body: {
        email: email.trim().toLowerCase(),
        role,
        ...(selectedTeams.length ? { teams: selectedTeams.map((t) => ({ teamId: t.value!, role: teamRole })) } : {}),
      },
    })),
    onSuccess: async (invitation) => {
      await queryClient.invalidateQueries({ queryKey: keys.invitations(orgId) });
      flash.success(`${invitation.email} is invited`, 'They see the invitation when they sign in, and join when they accept it.');
      onClose();
    },
    onError: (error) => flash.error('The invitation was not sent', error, () => invite.mutate()),
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) {
      setEmailError('Enter an e-mail address, like ada@example.com.');
      return;
    }
    setEmailError(undefined);
    invite.mutate();
  }

  return (
    <Modal visible onDismiss={onClose} header="Invite Users" closeAriaLabel="Close">
      <form onSubmit={submit} noValidate>
        <Form
          errorText={formProblem(invite.error)}
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button formAction="none" variant="link" onClick={onClose}>Cancel</Button>
              <Button variant="primary" formAction="submit" loading={invite.isPending}>Invite</Button>
            </SpaceBetween>
          }
        >
          <SpaceBetween size="m">
            <Box variant="p">Only people who have already signed up can be invited.</Box>
            <FormField label="E-mail" errorText={emailError ?? fieldError(invite.error, 'email')}>
              <Input type="email" value={email} onChange={(e) => setEmail(e.detail.value)} placeholder="name@example.com" />
            </FormField>
            <FormField label="Role">
              <RadioGroup
                value={role}
                onChange={(e) => setRole(e.detail.value as Role)}
                items={[
                  { value: 'ADMIN', label: 'Enterprise administrator', description: 'Manages the organization, users, teams, budgets and credits.' },
                  { value: 'USER', label: 'User', description: 'Works in the teams they are added to (team administrators are users too).' },
                ]}
              />
            </FormField>
            <FormField label={<span>Teams <i>- optional</i></span>} description="Seats given when the invitation is accepted." errorText={fieldError(invite.error, 'teams')}>
              <Multiselect
                selectedOptions={selectedTeams}
                onChange={(e) => setSelectedTeams(e.detail.selectedOptions)}
                options={(teams.data ?? []).map((t) => ({ value: t.teamId, label: t.name }))}
                statusType={teams.isPending ? 'loading' : teams.isError ? 'error' : 'finished'}
                loadingText="Loading teams"
                errorText="The teams could not be loaded"
                placeholder="Choose teams"
                empty="No active team yet"
                ariaLabel="Teams"
              />
            </FormField>
            {selectedTeams.length > 0 && (
              <FormField label="Team role">
                <RadioGroup
                  value={teamRole}
                  onChange={(e) => setTeamRole(e.detail.value as TeamRole)}
                  items={[{ value: 'MEMBER', label: 'Member' }, { value: 'ADMIN', label: 'Administrator' }]}
                />
              </FormField>
            )}
          </SpaceBetween>
        </Form>
      </form>
    </Modal>
  );
}
