import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import Autosuggest from '@cloudscape-design/components/autosuggest';
import Button from '@cloudscape-design/components/button';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Modal from '@cloudscape-design/components/modal';
import RadioGroup from '@cloudscape-design/components/radio-group';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { call, client, type Schemas } from '../../api/client';
import { keys, useOrgUsers } from '../../api/queries';
import { fieldError } from '../../components/common';
import { formProblem, useFlash } from '../../components/flash';
import { useOrg } from '../../app/org';

/**
 * [Add Member]: the member's e-mail chosen from the organization's users (an org administrator
 * gets the active users as suggestions; a team administrator, who may not list the organization,
 * types the address), and the role (administrator / member).
 */
export function AddMemberModal(props: {
  orgId: string;
  teamId: string;
  existing: Set<string>;
  onClose: () => void;
  onWarnings: (warnings: Schemas['Warning'][] | undefined) => void;
}) {
  const { orgId, teamId, onClose } = props;
  const { isOrgAdmin } = useOrg();
  const users = useOrgUsers(orgId, isOrgAdmin);
  const queryClient = useQueryClient();
  const flash = useFlash();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<'ADMIN' | 'MEMBER'>('MEMBER');
  const [emailError, setEmailError] = useState<string>();
  const candidates = (users.data ?? []).filter((u) => u.status === 'ACTIVE' && !props.existing.has(u.userId));

  const add = useMutation({
    mutationFn: () => {
      const address = email.trim().toLowerCase();
      const user = candidates.find((u) => u.email === address);
      return call(client().POST('/v1/organizations/{orgId}/teams/{teamId}/members', {
        params: { path: { orgId, teamId } },
        body: user ? { userId: user.userId, role } : { email: address, role },
      }));
    },
    onSuccess: async (seat) => {
      await queryClient.invalidateQueries({ queryKey: keys.teamMembers(orgId, teamId) });
      await queryClient.invalidateQueries({ queryKey: keys.team(orgId, teamId) });
      await queryClient.invalidateQueries({ queryKey: ['org', orgId, 'teams'] });
      flash.success(`${seat.email ?? email} is added as team ${seat.role === 'ADMIN' ? 'administrator' : 'member'}`);
      props.onWarnings(seat.warnings);
      onClose();
    },
    onError: (error) => flash.error('The member was not added', error, () => add.mutate()),
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) {
      setEmailError('Choose or type the e-mail of an organization member.');
      return;
    }
    setEmailError(undefined);
    add.mutate();
  }

  return (
    <Modal visible onDismiss={onClose} header="Add Member" closeAriaLabel="Close">
      <form onSubmit={submit} noValidate>
        <Form
          errorText={formProblem(add.error)}
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button formAction="none" variant="link" onClick={onClose}>Cancel</Button>
              <Button variant="primary" formAction="submit" loading={add.isPending}>Add</Button>
            </SpaceBetween>
          }
        >
          <SpaceBetween size="m">
            <FormField
              label="Member e-mail"
              description={isOrgAdmin ? 'Choose from the organization\u2019s active users.' : 'Type the e-mail of a member of the organization.'}
              errorText={emailError ?? fieldError(add.error, 'email') ?? fieldError(add.error, 'userId')}
            >
              <Autosuggest
                value={email}
                onChange={(e) => setEmail(e.detail.value)}
                options={candidates.map((u) => ({ value: u.email, label: u.email, description: u.name }))}
                statusType={isOrgAdmin && users.isPending ? 'loading' : 'finished'}
                loadingText="Loading users"
                enteredTextLabel={(value) => `Use: "${value}"`}
                placeholder="name@example.com"
                empty={isOrgAdmin ? 'No other active user' : undefined}
                ariaLabel="Member e-mail"
              />
            </FormField>
            <FormField label="Role">
              <RadioGroup
                value={role}
                onChange={(e) => setRole(e.detail.value as 'ADMIN' | 'MEMBER')}
                items={[
                  { value: 'ADMIN', label: 'Administrator', description: 'Adds and manages members, checks credit usage.' },
                  { value: 'MEMBER', label: 'Member', description: 'Creates content within the team and views the results.' },
                ]}
              />
            </FormField>
          </SpaceBetween>
        </Form>
      </form>
    </Modal>
  );
}
