import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveRendererAsset } from '../../src-main/renderer-assets';

const root = '/srv/renderer';

describe('resolveRendererAsset', () => {
  it('serves built files with their content type', () => {
    expect(resolveRendererAsset(root, '/assets/index-abc.js')).toEqual({
      filePath: join(root, 'assets/index-abc.js'),
      contentType: 'text/javascript; charset=utf-8',
    });
  });

  it('answers index.html for the root and for screens of the single-page app', () => {
    expect(resolveRendererAsset(root, '/')?.filePath).toBe(join(root, 'index.html'));
    expect(resolveRendererAsset(root, '/cases/123')?.filePath).toBe(join(root, 'index.html'));
  });

  it('refuses paths that escape the renderer folder, however they are spelled', () => {
    expect(resolveRendererAsset(root, '/../secrets.json')).toBeNull();
    expect(resolveRendererAsset(root, '/%2e%2e/%2e%2e/etc/passwd.css')).toBeNull();
    expect(resolveRendererAsset(root, '/assets/..%5c..%5cx.js')).toBeNull();
    expect(resolveRendererAsset(root, '/a%00.js')).toBeNull();
    expect(resolveRendererAsset(root, '/%E0%A4%A.js')).toBeNull();
  });

  it('refuses file types the renderer never ships', () => {
    expect(resolveRendererAsset(root, '/care-desk.sqlite3')).toBeNull();
  });
});
