import { useEffect, useState } from 'react';
import { Spin } from 'antd';
import { useTranslation } from 'react-i18next';

/** A text preview shows at most this much; the rest is for 下载. */
const TEXT_PREVIEW_BYTES = 1024 * 1024;

/** The first 1 MB of a text file, decoded as UTF-8 (a character cut at the end shows as �). */
export function TextPreview(props: { url: string; size: number }) {
  const { t } = useTranslation();
  const [text, setText] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const abort = new AbortController();
    void (async () => {
      // The relay serves Range; a server that ignores it still gets cut below.
      const response = await fetch(props.url, {
        headers: { Range: `bytes=0-${TEXT_PREVIEW_BYTES - 1}` },
        signal: abort.signal,
      });
      if (!response.ok) throw new Error(String(response.status));
      const bytes = new Uint8Array(await response.arrayBuffer()).subarray(0, TEXT_PREVIEW_BYTES);
      setText(new TextDecoder('utf-8').decode(bytes));
    })().catch(() => {
      if (!abort.signal.aborted) setFailed(true);
    });
    return () => abort.abort();
  }, [props.url]);

  if (failed) return <div className="drive-preview-message">{t('drive.preview.failed')}</div>;
  if (text === null) return <Spin className="drive-preview-loading" />;
  return (
    <div className="drive-text">
      {props.size > TEXT_PREVIEW_BYTES ? <div className="drive-text-note">{t('drive.preview.textCut')}</div> : null}
      <pre data-testid="text-preview">{text}</pre>
    </div>
  );
}
