import { describe, expect, it, vi } from 'vitest';
import { UploadFailed, uploadAsset, type UploadApi, type UploadStarted } from './upload';

/** An XMLHttpRequest that records what was sent; the test answers it. */
class FakeXhr {
  static last: FakeXhr | undefined;
  method = '';
  url = '';
  body: FormData | undefined;
  status = 0;
  responseText = '';
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  send(body: FormData) {
    this.body = body;
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ lengthComputable: true, loaded, total });
  }
  answer(status: number, text = '') {
    this.status = status;
    this.responseText = text;
    this.onload?.();
  }
}

const STARTED: UploadStarted = {
  asset: { assetId: 'a-1', name: 'Logo', contentType: 'image/png', size: 0, declaredSize: 4, status: 'UPLOADING', visibility: 'ORGANIZATION', teamIds: [], createdBy: 'u', createdAt: '', updatedAt: '', version: 1 },
  upload: {
    url: 'https://bucket.s3.eu-west-1.amazonaws.com',
    method: 'POST',
    fields: { key: 'org/o-1/a-1', 'Content-Type': 'image/png', 'x-amz-algorithm': 'AWS4-HMAC-SHA256', policy: 'cG9saWN5', 'x-amz-signature': 'sig' },
    expiresAt: '',
    maxBytes: 4,
  },
};

function fakeApi(): UploadApi & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    start: vi.fn(async () => { calls.push('start'); return STARTED; }),
    complete: vi.fn(async (id: string) => { calls.push(`complete ${id}`); return { ...STARTED.asset, status: 'READY' as const, size: 4 }; }),
    abandon: vi.fn(async (id: string) => { calls.push(`abandon ${id}`); }),
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const body = { name: 'Logo', contentType: 'image/png' as const, size: 4, visibility: 'ORGANIZATION' as const };

describe('uploadAsset', () => {
  it('posts the fields in order with the file last, reports progress, then completes after S3 answers 204', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    const api = fakeApi();
    const progress: number[] = [];
    const file = new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], { type: 'image/png' });
    const done = uploadAsset(api, body, file, (f) => progress.push(f));
    await tick();
    const xhr = FakeXhr.last!;
    expect(xhr.method).toBe('POST');
    expect(xhr.url).toBe(STARTED.upload.url);
    expect([...xhr.body!.keys()]).toEqual(['key', 'Content-Type', 'x-amz-algorithm', 'policy', 'x-amz-signature', 'file']);
    expect(xhr.body!.get('key')).toBe('org/o-1/a-1');
    expect(api.calls).toEqual(['start']);
    xhr.progress(1, 4);
    xhr.progress(3, 4);
    expect(api.complete).not.toHaveBeenCalled();
    xhr.answer(204);
    const asset = await done;
    expect(progress).toEqual([0, 0.25, 0.75, 1]);
    expect(api.calls).toEqual(['start', 'complete a-1']);
    expect(asset.status).toBe('READY');
  });

  it('completes after a 200 too', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    const api = fakeApi();
    const done = uploadAsset(api, body, new Blob(['abcd']), () => undefined);
    await tick();
    FakeXhr.last!.answer(200);
    await done;
    expect(api.calls).toEqual(['start', 'complete a-1']);
  });

  it('a refused upload shows what S3 said, abandons the asset and never completes it', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    const api = fakeApi();
    const done = uploadAsset(api, body, new Blob(['abcd']), () => undefined);
    await tick();
    FakeXhr.last!.answer(400, '<Error><Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the maximum allowed size</Message></Error>');
    const error = await done.catch((e) => e);
    expect(error).toBeInstanceOf(UploadFailed);
    expect(error.status).toBe(400);
    expect(error.message).toBe('Your proposed upload exceeds the maximum allowed size (EntityTooLarge)');
    expect(api.calls).toEqual(['start', 'abandon a-1']);
  });

  it('a network failure is an UploadFailed with status 0', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    const api = fakeApi();
    const done = uploadAsset(api, body, new Blob(['abcd']), () => undefined);
    await tick();
    FakeXhr.last!.onerror?.();
    const error = await done.catch((e) => e);
    expect(error).toBeInstanceOf(UploadFailed);
    expect(error.status).toBe(0);
    expect(api.complete).not.toHaveBeenCalled();
  });

  it('a refused start posts nothing', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    FakeXhr.last = undefined;
    const api = fakeApi();
    api.start = vi.fn(async () => { throw new Error('storage-quota-exceeded'); });
    await expect(uploadAsset(api, body, new Blob(['abcd']), () => undefined)).rejects.toThrow('storage-quota-exceeded');
    expect(FakeXhr.last).toBeUndefined();
  });
});
