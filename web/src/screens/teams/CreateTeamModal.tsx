import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import Button from '@cloudscape-design/components/button';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Tiles from '@cloudscape-design/components/tiles';
import { call, client } from '../../api/client';
import { fieldError } from '../../components/common';
import { formProblem, useFlash } from '../../components/flash';
import { parseCredits } from './budget';
import { LimitFields } from './limit-fields';

/** [Teams] → [Create New Team]: the name, a credit limit (optionally monthly) or the shared pool. */
export function CreateTeamModal({ orgId, onClose }: { orgId: string; onClose: () => void }) {
  const queryClient = useQueryClient();
  const flash = useFlash();
  const [name, setName] = useState('');
  const [mode, setMode] = useState<'LIMITED' | 'SHARED_POOL'>('LIMITED');
  const [limit, setLimit] = useState('');
  const [monthly, setMonthly] = useState(true);
  const [errors, setErrors] = useState<{ name?: string; limit?: string }>({});

  const create = useMutation({
    mutationFn: (limitValue: number | undefined) => call(client().POST('/v1/organizations/{orgId}/teams', {
      params: { path: { orgId } },
      body: {
        name,
        // submit() gives a limit exactly when the mode is LIMITED (api/openapi.yaml: LIMITED needs one).
        budget: limitValue === undefined ? { mode: 'SHARED_POOL' } : { mode: 'LIMITED', limit: limitValue, period: monthly ? 'MONTHLY' : 'NONE' },
      },
    })),
    onSuccess: async (team) => {
      await queryClient.invalidateQueries({ queryKey: ['org', orgId] });
      flash.success(`Team ${team.name} is created`, 'Add its members next: select it and choose Team Members.');
      onClose();
    },
    onError: (error, limitValue) => flash.error('The team was not created', error, () => create.mutate(limitValue)),
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    const next: typeof errors = {};
    if (!name.trim()) next.name = 'Enter the team name.';
    let limitValue: number | undefined;
    if (mode === 'LIMITED') {
      const parsed = parseCredits(limit);
      if (parsed.error) next.limit = parsed.error;
      limitValue = parsed.value;
    }
    setErrors(next);
    if (Object.keys(next).length === 0) create.mutate(limitValue);
  }

  return (
    <Modal visible onDismiss={onClose} header="Create New Team" closeAriaLabel="Close">
      <form onSubmit={submit} noValidate>
        <Form
          errorText={formProblem(create.error)}
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button formAction="none" variant="link" onClick={onClose}>Cancel</Button>
              <Button variant="primary" formAction="submit" loading={create.isPending}>Create Team</Button>
            </SpaceBetween>
          }
        >
          <SpaceBetween size="m">
            <FormField label="Team name" errorText={errors.name ?? fieldError(create.error, 'name')}>
              <Input value={name} onChange={(e) => setName(e.detail.value)} />
            </FormField>
            <FormField label="Credit budget">
              <Tiles
                value={mode}
                onChange={(e) => setMode(e.detail.value as typeof mode)}
                ariaLabel="Credit budget"
                items={[
                  { value: 'LIMITED', label: 'Credit limit', description: 'The team can spend up to its limit.' },
                  { value: 'SHARED_POOL', label: 'Shared pool', description: 'The team spends the organization\u2019s credits freely, within the contract.' },
                ]}
              />
            </FormField>
            {mode === 'LIMITED' && (
              <>
                <LimitFields limit={limit} onLimit={setLimit} monthly={monthly} onMonthly={setMonthly}
                  error={errors.limit ?? fieldError(create.error, 'budget.limit')} />
              </>
            )}
          </SpaceBetween>
        </Form>
      </form>
    </Modal>
  );
}
