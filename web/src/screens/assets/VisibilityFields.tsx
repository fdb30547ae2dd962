import FormField from '@cloudscape-design/components/form-field';
import Multiselect from '@cloudscape-design/components/multiselect';
import RadioGroup from '@cloudscape-design/components/radio-group';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { TeamOption } from './assets';

type Visibility = 'ORGANIZATION' | 'TEAMS';

/** Who sees an asset: the whole organization, or the chosen teams (a team ADMIN: their teams only). */
export function VisibilityFields(props: {
  visibility: Visibility;
  teamIds: string[];
  teams: TeamOption[];
  teamsOnly: boolean;
  teamsError?: string;
  onChange: (visibility: Visibility, teamIds: string[]) => void;
}) {
  const options = props.teams.map((t) => ({ value: t.teamId, label: t.name }));
  return (
    <SpaceBetween size="m">
      <FormField label="Visibility">
        <RadioGroup
          value={props.visibility}
          onChange={(e) => props.onChange(e.detail.value as Visibility, props.teamIds)}
          items={[
            { value: 'ORGANIZATION', label: 'Organization', description: 'Every member sees it.', disabled: props.teamsOnly },
            { value: 'TEAMS', label: 'Teams', description: 'Members of the chosen teams see it.' },
          ]}
        />
      </FormField>
      {props.visibility === 'TEAMS' && (
        <FormField label="Teams" errorText={props.teamsError}>
          <Multiselect
            selectedOptions={options.filter((o) => props.teamIds.includes(o.value))}
            onChange={(e) => props.onChange(props.visibility, e.detail.selectedOptions.map((o) => o.value ?? ''))}
            options={options}
            placeholder="Choose teams"
            ariaLabel="Teams"
            deselectAriaLabel={(o) => `Remove ${o.label ?? o.value}`}
            empty="No teams"
          />
        </FormField>
      )}
    </SpaceBetween>
  );
}
