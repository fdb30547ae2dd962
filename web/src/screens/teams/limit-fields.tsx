import Checkbox from '@cloudscape-design/components/checkbox';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';

/** A LIMITED budget's fields, shared by Create New Team and the Credit Budget switch. */
export function LimitFields(props: {
  limit: string;
  onLimit: (value: string) => void;
  monthly: boolean;
  onMonthly: (checked: boolean) => void;
  error?: string;
}) {
  return (
    <>
      <FormField label="Limit (credits)" errorText={props.error}>
        <Input inputMode="numeric" value={props.limit} onChange={(e) => props.onLimit(e.detail.value)} />
      </FormField>
      <Checkbox checked={props.monthly} onChange={(e) => props.onMonthly(e.detail.checked)} description="Consumption starts again from 0 each calendar month (UTC).">
        Reset every month
      </Checkbox>
    </>
  );
}
