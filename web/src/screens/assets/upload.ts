import type { Schemas } from '../../api/client';

export type Asset = Schemas['Asset'];
export type StartAssetUpload = Schemas['StartAssetUploadRequest'];
export type UploadStarted = Schemas['AssetUploadStarted'];

/** The asset's part of the API an upload needs (the page passes the real calls; tests pass fakes). */
export interface UploadApi {
  start(body: StartAssetUpload): Promise<UploadStarted>;
  complete(assetId: string): Promise<Asset>;
  /** Abandons an upload that failed (its reservation released); best effort. */
  abandon(assetId: string): Promise<unknown>;
}

/** The upload to S3 failed: its status (0: no answer) and what S3 said. */
export class UploadFailed extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'UploadFailed';
  }
}

/** The presigned POST's form: every field as the API gave it, in its order, the file LAST (S3 ignores fields after it). */
export function uploadForm(fields: Record<string, string>, file: Blob): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', file);
  return form;
}

/**
 * Posts the file to the presigned `url` with an XMLHttpRequest (fetch reports no upload progress):
 * `onProgress` gets the fraction sent (0..1); resolves on a 2xx (S3 answers 204), rejects with UploadFailed.
 */
export function postToS3(url: string, form: FormData, onProgress: (fraction: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(Math.min(1, e.loaded / e.total));
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
      } else {
        reject(new UploadFailed(xhr.status, s3Message(xhr.responseText) ?? `The file store answered ${xhr.status}.`));
      }
    };
    xhr.onerror = () => reject(new UploadFailed(0, 'The file store cannot be reached. Check your connection, then retry.'));
    xhr.onabort = () => reject(new UploadFailed(0, 'The upload was cancelled.'));
    xhr.send(form);
  });
}

/** S3's error document: `<Error><Code>…</Code><Message>…</Message></Error>`. */
function s3Message(xml: string | undefined): string | undefined {
  const message = /<Message>([^<]*)<\/Message>/.exec(xml ?? '')?.[1];
  const code = /<Code>([^<]*)<\/Code>/.exec(xml ?? '')?.[1];
  return message ? `${message}${code ? ` (${code})` : ''}` : undefined;
}

/**
 * One upload: start it (the quota reserved, the presigned POST answered), post the file, then complete it
 * (READY or REJECTED with its reason). A failed post abandons the asset and rethrows.
 */
export async function uploadAsset(api: UploadApi, body: StartAssetUpload, file: Blob, onProgress: (fraction: number) => void): Promise<Asset> {
  const started = await api.start(body);
  onProgress(0);
  try {
    await postToS3(started.upload.url, uploadForm(started.upload.fields, file), onProgress);
  } catch (e) {
    await api.abandon(started.asset.assetId).catch(() => undefined);
    throw e;
  }
  return api.complete(started.asset.assetId);
}

export const formatBytes = (n: number | undefined) => {
  if (n === undefined || n === null) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
};
