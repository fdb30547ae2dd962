import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import FileUpload from '@cloudscape-design/components/file-upload';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { fieldError } from '../../components/common';
import { formProblem, useFlash } from '../../components/flash';
import { assetKeys, uploadApi, type TeamOption } from './assets';
import { formatBytes, uploadAsset, type Asset, type StartAssetUpload } from './upload';
import { VisibilityFields } from './VisibilityFields';

/** [Assets] → [Upload]: a file, its name and who sees it; the upload's progress; READY or REJECTED (why). */
export function UploadModal({ orgId, teams, teamsOnly, onClose }: { orgId: string; teams: TeamOption[]; teamsOnly: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const flash = useFlash();
  const [files, setFiles] = useState<File[]>([]);
  const [name, setName] = useState('');
  const [visibility, setVisibility] = useState<'ORGANIZATION' | 'TEAMS'>(teamsOnly ? 'TEAMS' : 'ORGANIZATION');
  const [teamIds, setTeamIds] = useState<string[]>([]);
  const [errors, setErrors] = useState<{ file?: string; name?: string; teams?: string }>({});
  const [progress, setProgress] = useState<number>();
  const [error, setError] = useState<unknown>();
  const [result, setResult] = useState<Asset>();
  const busy = progress !== undefined && !result && !error;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const file = files[0];
    const next: typeof errors = {};
    if (!file) next.file = 'Choose a file.';
    if (!name.trim()) next.name = 'Enter a name.';
    if (visibility === 'TEAMS' && teamIds.length === 0) next.teams = 'Choose at least one team.';
    setErrors(next);
    if (Object.keys(next).length > 0 || !file) return;
    setError(undefined);
    setResult(undefined);
    setProgress(0);
    const body = {
      name: name.trim(),
      contentType: (file.type || 'application/octet-stream') as StartAssetUpload['contentType'],
      size: file.size,
      visibility,
      ...(visibility === 'TEAMS' ? { teamIds } : {}),
    };
    try {
      const asset = await uploadAsset(uploadApi(orgId), body, file, setProgress);
      setResult(asset);
      if (asset.status === 'READY') flash.success(`${asset.name} is uploaded`);
    } catch (failure) {
      setError(failure);
    } finally {
      await queryClient.invalidateQueries({ queryKey: assetKeys.all(orgId) });
      await queryClient.invalidateQueries({ queryKey: assetKeys.storage(orgId) });
    }
  }

  return (
    <Modal visible onDismiss={onClose} header="Upload asset" closeAriaLabel="Close">
      <form onSubmit={submit} noValidate>
        <Form
          errorText={formProblem(error)}
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button formAction="none" variant="link" onClick={onClose}>{result ? 'Done' : 'Cancel'}</Button>
              {!result && <Button variant="primary" formAction="submit" loading={busy}>Upload</Button>}
            </SpaceBetween>
          }
        >
          <SpaceBetween size="m">
            <FormField label="File" errorText={errors.file} description="Images, PDF, audio or video.">
              <FileUpload
                value={files}
                onChange={(e) => {
                  setFiles(e.detail.value);
                  const picked = e.detail.value[0];
                  if (picked && !name) setName(picked.name.replace(/\.[^.]+$/, ''));
                }}
                showFileSize
                showFileLastModified={false}
                i18nStrings={{
                  uploadButtonText: () => 'Choose file',
                  dropzoneText: () => 'Drop a file to upload',
                  removeFileAriaLabel: (i) => `Remove file ${i + 1}`,
                  limitShowFewer: 'Show fewer files',
                  limitShowMore: 'Show more files',
                  errorIconAriaLabel: 'Error',
                  warningIconAriaLabel: 'Warning',
                }}
              />
            </FormField>
            <FormField label="Name" errorText={errors.name ?? fieldError(error, 'name')}>
              <Input value={name} onChange={(e) => setName(e.detail.value)} ariaLabel="Name" />
            </FormField>
            <VisibilityFields
              visibility={visibility}
              teamIds={teamIds}
              teams={teams}
              teamsOnly={teamsOnly}
              teamsError={errors.teams ?? fieldError(error, 'teamIds')}
              onChange={(v, ids) => { setVisibility(v); setTeamIds(ids); }}
            />
            {progress !== undefined && (
              <ProgressBar
                label="Upload"
                value={Math.round(progress * 100)}
                status={error ? 'error' : result ? 'success' : 'in-progress'}
                resultText={result ? (result.status === 'READY' ? 'Uploaded' : 'Rejected') : 'Failed'}
                additionalInfo={files[0] ? formatBytes(files[0].size) : undefined}
              />
            )}
            {result?.status === 'READY' && <Alert type="success" header="Ready">{result.name} is in the library.</Alert>}
            {result && result.status !== 'READY' && (
              <Alert type="error" header={`The file was ${result.status.toLowerCase()}`}>
                <Box>{result.rejection ?? 'The file does not match what was declared.'}</Box>
              </Alert>
            )}
          </SpaceBetween>
        </Form>
      </form>
    </Modal>
  );
}
