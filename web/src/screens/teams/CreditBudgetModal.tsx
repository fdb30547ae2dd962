import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Form from '@cloudscape-design/components/form';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Toggle from '@cloudscape-design/components/toggle';
import { ApiError, call, client, etag } from '../../api/client';
import { type Team } from '../../api/queries';
import { fieldError } from '../../components/common';
import { formProblem, useFlash } from '../../components/flash';
import { budgetSummary, parseCredits } from './budget';
import { LimitFields } from './limit-fields';

/**
 * The [Credit Budget] switch: LIMITED ↔ SHARED_POOL and the limit, sent with If-Match = the version
 * the form was opened on. A 412 means someone else changed the team first: the latest team is
 * loaded, what was typed stays, and saving again applies it on top of the latest version.
 */
export function CreditBudgetModal({ orgId, team: opened, onClose }: { orgId: string; team: Team; onClose: () => void }) {
  const queryClient = useQueryClient();
  const flash = useFlash();
  const [base, setBase] = useState<Team>(opened);
  const [shared, setShared] = useState(opened.budget.mode === 'SHARED_POOL');
  const [limit, setLimit] = useState(opened.budget.limit !== undefined ? String(opened.budget.limit) : '');
  const [monthly, setMonthly] = useState(opened.budget.period === 'MONTHLY');
  const [limitError, setLimitError] = useState<string>();
  const [conflict, setConflict] = useState(false);

  const reload = async () => {
    const latest = await call(client().GET('/v1/organizations/{orgId}/teams/{teamId}', { params: { path: { orgId, teamId: base.teamId } } }));
    setBase(latest);
    await queryClient.invalidateQueries({ queryKey: ['org', orgId] });
  };

  const save = useMutation({
    mutationFn: (limitValue: number | undefined) => call(client().PUT('/v1/organizations/{orgId}/teams/{teamId}/budget', {
      params: { path: { orgId, teamId: base.teamId }, header: { 'If-Match': etag(base.version) } },
      // submit() gives a limit exactly when the budget is not shared (api/openapi.yaml: LIMITED needs one).
      body: limitValue === undefined ? { mode: 'SHARED_POOL' } : { mode: 'LIMITED', limit: limitValue, period: monthly ? 'MONTHLY' : 'NONE' },
    })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['org', orgId] });
      flash.success(`Credit budget of ${base.name} saved`, shared ? 'The team now uses the shared pool.' : 'The team now has a credit limit.');
      onClose();
    },
    onError: async (error, limitValue) => {
      if (error instanceof ApiError && error.status === 412) {
        setConflict(true);
        try {
          await reload();
        } catch (e) {
          flash.error('The latest team could not be loaded', e);
        }
        return;
      }
      flash.error('The credit budget was not saved', error, () => save.mutate(limitValue));
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    let limitValue: number | undefined;
    if (!shared) {
      const parsed = parseCredits(limit);
      setLimitError(parsed.error);
      if (parsed.error) return;
      limitValue = parsed.value;
    }
    setConflict(false);
    save.mutate(limitValue);
  }

  return (
    <Modal visible onDismiss={onClose} header={`Credit Budget: ${base.name}`} closeAriaLabel="Close">
      <form onSubmit={submit} noValidate>
        <Form
          errorText={save.error instanceof ApiError && save.error.status === 412 ? undefined : formProblem(save.error)}
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button formAction="none" variant="link" onClick={onClose}>Cancel</Button>
              <Button variant="primary" formAction="submit" loading={save.isPending}>Save</Button>
            </SpaceBetween>
          }
        >
          <SpaceBetween size="m">
            {conflict && (
              <Alert type="warning" header="Someone else changed this team first">
                The team changed after you opened this form (code: <code>version-mismatch</code>). Its latest budget is shown below and
                your choices are kept: review them and save again.
              </Alert>
            )}
            <Box variant="p">Current budget: {budgetSummary(base)} (version {base.version}).</Box>
            <Toggle checked={shared} onChange={(e) => setShared(e.detail.checked)} description="Spend the organization's credits freely, within the contract, without a team limit.">
              Use the shared pool
            </Toggle>
            {!shared && (
              <>
                <LimitFields limit={limit} onLimit={setLimit} monthly={monthly} onMonthly={setMonthly}
                  error={limitError ?? fieldError(save.error, 'limit')} />
              </>
            )}
          </SpaceBetween>
        </Form>
      </form>
    </Modal>
  );
}
