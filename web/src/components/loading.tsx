import Box from '@cloudscape-design/components/box';
import Spinner from '@cloudscape-design/components/spinner';

export function Loading() {
  return (
    <Box textAlign="center" padding="xxl">
      <Spinner size="large" /> <span>Loading</span>
    </Box>
  );
}
