import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import Pagination from '@cloudscape-design/components/pagination';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { call, client, newIdempotencyKey, type Schemas } from '../../api/client';
import { keys } from '../../api/queries';
import { LoadError, fieldError, formatDate, formatNumber } from '../../components/common';
import { dayAfter, dayStart, useCursorPages } from '../../components/cursor-pages';
import { DayRangeFields } from '../../components/day-range';
import { formProblem, useFlash } from '../../components/flash';
import { useOrgId } from '../../app/org';
import { modeLabel } from '../teams/budget';
import { parseCredits } from '../teams/budget';

const kindLabel: Record<Schemas['LedgerEntry']['kind'], string> = {
  TOP_UP: 'Top-up', CONSUMPTION: 'Consumption', HOLD_PLACED: 'Hold placed', HOLD_CAPTURED: 'Hold captured', HOLD_RELEASED: 'Hold released', ADJUSTMENT: 'Adjustment', REFUND: 'Refund',
};

/** Credits: the balance, top-ups, every team's use and the ledger (OWNER/ADMIN). */
export default function CreditsPage() {
  const orgId = useOrgId();
  const [toppingUp, setToppingUp] = useState(false);
  const credits = useQuery({
    queryKey: keys.credits(orgId),
    queryFn: () => call(client().GET('/v1/organizations/{orgId}/credits', { params: { path: { orgId } } })),
  });
  const c = credits.data;
  return (
    <ContentLayout header={<Header variant="h1" description="The organization's credits, what each team used, and every movement." actions={<Button variant="primary" onClick={() => setToppingUp(true)}>Top up</Button>}>Credits</Header>}>
      <SpaceBetween size="l">
        {credits.isError && <LoadError error={credits.error} onRetry={() => credits.refetch()} what="the credit balance" />}
        {c?.overCommitted && (
          <Alert type="warning" header="Budgets promise more than the organization holds">
            LIMITED teams could still spend {formatNumber(c.limitedTeamsRemaining)} credits but {formatNumber(c.available)} are available. Top up, or lower some limits.
          </Alert>
        )}
        <Container header={<Header variant="h2">Balance</Header>}>
          <ColumnLayout columns={5} variant="text-grid">
            <Kpi label="Available" value={c?.available} />
            <Kpi label="Purchased" value={c?.purchased} />
            <Kpi label="Consumed" value={c?.consumed} />
            <Kpi label="Held" value={c?.held} />
            <Kpi label="LIMITED teams could still spend" value={c?.limitedTeamsRemaining} />
          </ColumnLayout>
        </Container>
        <Table
          variant="container"
          header={<Header variant="h2" counter={c ? `(${c.teams.length})` : undefined}>Usage per team</Header>}
          items={c?.teams ?? []}
          loading={credits.isPending}
          loadingText="Loading teams"
          ariaLabels={{ tableLabel: 'Usage per team' }}
          empty={<Box textAlign="center" color="inherit">No teams yet.</Box>}
          columnDefinitions={[
            { id: 'name', header: 'Team', cell: (t) => `${t.name}${t.status === 'ARCHIVED' ? ' (archived)' : ''}`, isRowHeader: true },
            { id: 'mode', header: 'Budget mode', cell: (t) => modeLabel[t.mode] },
            { id: 'limit', header: 'Limit', cell: (t) => (t.mode === 'LIMITED' ? formatNumber(t.limit) : '—') },
            { id: 'period', header: 'Consumed this period', cell: (t) => formatNumber(t.periodConsumed) },
            { id: 'held', header: 'Held', cell: (t) => formatNumber(t.held) },
            { id: 'remaining', header: 'Remaining', cell: (t) => (t.mode === 'SHARED_POOL' ? 'Shared pool' : formatNumber(t.remaining)) },
            { id: 'total', header: 'Consumed in total', cell: (t) => formatNumber(t.consumedTotal) },
          ]}
        />
        <Ledger orgId={orgId} teams={(c?.teams ?? []).map((t) => ({ value: t.teamId, label: t.name }))} />
      </SpaceBetween>
      {toppingUp && <TopUpModal orgId={orgId} onClose={() => setToppingUp(false)} />}
    </ContentLayout>
  );
}

function Kpi({ label, value }: { label: string; value: number | undefined }) {
  return (
    <div>
      <Box variant="awsui-key-label">{label}</Box>
      <Box variant="awsui-value-large">{formatNumber(value)}</Box>
    </div>
  );
}

const allTeams: SelectProps.Option = { value: '', label: 'All teams' };

function Ledger({ orgId, teams }: { orgId: string; teams: SelectProps.Option[] }) {
  const [team, setTeam] = useState<SelectProps.Option>(allTeams);
  const [fromDay, setFromDay] = useState('');
  const [toDay, setToDay] = useState('');
  const filters = { teamId: team.value || undefined, from: dayStart(fromDay), to: dayAfter(toDay) };
  const pages = useCursorPages(['org', orgId, 'ledger', filters], (cursor) =>
    call(client().GET('/v1/organizations/{orgId}/ledger', { params: { path: { orgId }, query: { ...filters, cursor, limit: 20 } } })));
  const teamName = new Map(teams.map((t) => [t.value, t.label]));
  if (pages.query.isError) return <LoadError error={pages.query.error} onRetry={() => pages.query.refetch()} what="the ledger" />;
  return (
    <Table
      variant="container"
      header={<Header variant="h2" description="Every credit movement, newest first.">Ledger</Header>}
      items={pages.items}
      loading={pages.query.isPending}
      loadingText="Loading the ledger"
      ariaLabels={{ tableLabel: 'Ledger' }}
      empty={<Box textAlign="center" color="inherit">No entries.</Box>}
      filter={
        <SpaceBetween direction="horizontal" size="m">
          <FormField label="Team">
            <Select selectedOption={team} options={[allTeams, ...teams]} onChange={(e) => { setTeam(e.detail.selectedOption); pages.reset(); }} ariaLabel="Team" />
          </FormField>
          <DayRangeFields from={fromDay} to={toDay}
            onFrom={(d) => { setFromDay(d); pages.reset(); }} onTo={(d) => { setToDay(d); pages.reset(); }} />
        </SpaceBetween>
      }
      pagination={<Pagination {...pages.paginationProps} />}
      columnDefinitions={[
        { id: 'at', header: 'When', cell: (e) => formatDate(e.at), isRowHeader: true },
        { id: 'kind', header: 'Kind', cell: (e) => kindLabel[e.kind] },
        { id: 'amount', header: 'Credits', cell: (e) => formatNumber(e.amount) },
        { id: 'team', header: 'Team', cell: (e) => (e.teamId ? teamName.get(e.teamId) ?? e.teamId : '—') },
        { id: 'detail', header: 'Detail', cell: (e) => [e.source, e.reference, e.jobId, e.description, e.note].filter(Boolean).join(' · ') || '—' },
      ]}
    />
  );
}

const sources: SelectProps.Option[] = [
  { value: 'CONTRACT', label: 'Contract' },
  { value: 'PURCHASE', label: 'Purchase' },
  { value: 'GRANT', label: 'Grant' },
  { value: 'ADJUSTMENT', label: 'Adjustment' },
];

/** A top-up, with one Idempotency-Key per form: a retry of the same top-up can never add it twice. */
function TopUpModal({ orgId, onClose }: { orgId: string; onClose: () => void }) {
  const queryClient = useQueryClient();
  const flash = useFlash();
  const [key] = useState(newIdempotencyKey);
  const [amount, setAmount] = useState('');
  const [source, setSource] = useState<SelectProps.Option>(sources[0]);
  const [reference, setReference] = useState('');
  const [note, setNote] = useState('');
  const [amountError, setAmountError] = useState<string>();
  const topUp = useMutation({
    mutationFn: (value: number) => call(client().POST('/v1/organizations/{orgId}/credits/top-ups', {
      params: { path: { orgId }, header: { 'Idempotency-Key': key } },
      body: {
        amount: value,
        source: source.value as Schemas['TopUpRequest']['source'],
        ...(reference.trim() ? { reference: reference.trim() } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      },
    })),
    onSuccess: async (entry) => {
      await queryClient.invalidateQueries({ queryKey: ['org', orgId] });
      flash.success(`${formatNumber(entry.amount)} credits added`);
      onClose();
    },
    onError: (error, value) => flash.error('The top-up was not recorded', error, () => topUp.mutate(value)),
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = parseCredits(amount);
    const error = parsed.error ?? (parsed.value === 0 ? 'Top up at least 1 credit.' : undefined);
    setAmountError(error);
    if (!error) topUp.mutate(parsed.value!);
  }
  return (
    <Modal visible onDismiss={onClose} header="Top up credits" closeAriaLabel="Close">
      <form onSubmit={submit} noValidate>
        <Form
          errorText={formProblem(topUp.error)}
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button formAction="none" variant="link" onClick={onClose}>Cancel</Button>
              <Button variant="primary" formAction="submit" loading={topUp.isPending}>Top up</Button>
            </SpaceBetween>
          }
        >
          <SpaceBetween size="m">
            <FormField label="Credits" errorText={amountError ?? fieldError(topUp.error, 'amount')}>
              <Input inputMode="numeric" value={amount} onChange={(e) => setAmount(e.detail.value)} />
            </FormField>
            <FormField label="Source">
              <Select selectedOption={source} options={sources} onChange={(e) => setSource(e.detail.selectedOption)} ariaLabel="Source" />
            </FormField>
            <FormField label={<span>Reference <i>- optional</i></span>} description="Order, contract or invoice number." errorText={fieldError(topUp.error, 'reference')}>
              <Input value={reference} onChange={(e) => setReference(e.detail.value)} />
            </FormField>
            <FormField label={<span>Note <i>- optional</i></span>} errorText={fieldError(topUp.error, 'note')}>
              <Input value={note} onChange={(e) => setNote(e.detail.value)} />
            </FormField>
          </SpaceBetween>
        </Form>
      </form>
    </Modal>
  );
}
