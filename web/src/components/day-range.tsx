import DatePicker from '@cloudscape-design/components/date-picker';
import FormField from '@cloudscape-design/components/form-field';

/** The "from / to (UTC days)" filter of the paged lists (ledger, audit log); a change restarts the paging. */
export function DayRangeFields(props: {
  from: string;
  to: string;
  onFrom: (day: string) => void;
  onTo: (day: string) => void;
}) {
  return (
    <>
      <FormField label="From (UTC day)">
        <DatePicker value={props.from} onChange={(e) => props.onFrom(e.detail.value)} placeholder="YYYY/MM/DD" openCalendarAriaLabel={(d) => `Choose the first day${d ? `, ${d}` : ''}`} />
      </FormField>
      <FormField label="To (UTC day, included)">
        <DatePicker value={props.to} onChange={(e) => props.onTo(e.detail.value)} placeholder="YYYY/MM/DD" openCalendarAriaLabel={(d) => `Choose the last day${d ? `, ${d}` : ''}`} />
      </FormField>
    </>
  );
}
