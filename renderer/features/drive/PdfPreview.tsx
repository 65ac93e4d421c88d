import { useEffect, useRef, useState } from 'react';
import { Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PDFDocumentProxy } from 'pdfjs-dist';

/**
 * pdf.js and its worker load on the first PDF preview, not with the app. The legacy build: the
 * modern one calls Map.prototype.getOrInsertComputed, newer than the Chromium some Electron versions ship.
 */
async function loadPdfJs() {
  const [pdfjs, worker] = await Promise.all([
    import('pdfjs-dist/legacy/build/pdf.mjs'),
    import('pdfjs-dist/legacy/build/pdf.worker.min.mjs?url'),
  ]);
  pdfjs.GlobalWorkerOptions.workerSrc = worker.default;
  return pdfjs;
}

/** Page width on screen; pages render at the device's pixel ratio so text stays sharp. */
const PAGE_WIDTH = 760;

/** A PDF as a column of pages, each drawn onto its canvas when it scrolls into view. */
export function PdfPreview(props: { url: string }) {
  const { t } = useTranslation();
  const [doc, setDoc] = useState<PDFDocumentProxy | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let closed = false;
    let loaded: PDFDocumentProxy | null = null;
    const task = loadPdfJs().then((pdfjs) =>
      pdfjs.getDocument({
        url: props.url,
        // Strings are never evaluated as code (the app's CSP forbids it anyway).
        isEvalSupported: false,
        // Shipped beside the app (renderer/vite.config.ts): Chinese PDFs that do not embed their
        // fonts need the character maps, and PDFs using the 14 standard fonts need those.
        cMapUrl: new URL('pdfjs/cmaps/', document.baseURI).href,
        cMapPacked: true,
        standardFontDataUrl: new URL('pdfjs/standard_fonts/', document.baseURI).href,
      }),
    );
    task
      .then((loading) => loading.promise)
      .then((pdf) => {
        loaded = pdf;
        if (closed) void pdf.destroy();
        else setDoc(pdf);
      })
      .catch(() => {
        if (!closed) setFailed(true);
      });
    return () => {
      closed = true;
      if (loaded) void loaded.destroy();
      else void task.then((loading) => loading.destroy()).catch(() => undefined);
    };
  }, [props.url]);

  if (failed) return <div className="drive-preview-message">{t('drive.preview.failed')}</div>;
  if (!doc) return <Spin className="drive-preview-loading" />;
  return (
    <div className="drive-pdf" data-testid="pdf-preview" aria-label={t('drive.preview.pages', { count: doc.numPages })}>
      {Array.from({ length: doc.numPages }, (_, i) => (
        <PdfPage key={i + 1} doc={doc} pageNumber={i + 1} />
      ))}
    </div>
  );
}

function PdfPage(props: { doc: PDFDocumentProxy; pageNumber: number }) {
  const { t } = useTranslation();
  const holder = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [visible, setVisible] = useState(false);
  const [rendered, setRendered] = useState(false);
  // A4 until the page's own size is known, so the column's height is about right while scrolling.
  const [height, setHeight] = useState(Math.round(PAGE_WIDTH * 1.414));

  useEffect(() => {
    const element = holder.current;
    if (!element) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          setVisible(true);
          observer.disconnect();
        }
      },
      { rootMargin: '400px 0px' },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (!visible) return;
    let cancelled = false;
    let cancel: (() => void) | null = null;
    void (async () => {
      const page = await props.doc.getPage(props.pageNumber);
      const target = canvas.current;
      if (cancelled || !target) return;
      const base = page.getViewport({ scale: 1 });
      const scale = PAGE_WIDTH / base.width;
      const ratio = window.devicePixelRatio || 1;
      const viewport = page.getViewport({ scale: scale * ratio });
      target.width = Math.floor(viewport.width);
      target.height = Math.floor(viewport.height);
      target.style.width = `${PAGE_WIDTH}px`;
      target.style.height = `${Math.floor(viewport.height / ratio)}px`;
      setHeight(Math.floor(viewport.height / ratio));
      const task = page.render({ canvas: target, viewport });
      cancel = () => task.cancel();
      await task.promise;
      if (!cancelled) setRendered(true);
    })().catch(() => undefined);
    return () => {
      cancelled = true;
      cancel?.();
    };
  }, [visible, props.doc, props.pageNumber]);

  return (
    <div ref={holder} className="drive-pdf-page" style={{ minHeight: height }}>
      <canvas
        ref={canvas}
        data-testid="pdf-page"
        data-rendered={rendered ? 'true' : 'false'}
        aria-label={t('drive.preview.page', { page: props.pageNumber })}
      />
    </div>
  );
}
