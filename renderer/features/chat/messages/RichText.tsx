import type { RichSegment } from '../../../../shared/protocol/message-content';
import { safeUrl } from './text-runs';

/** Rich text: runs of plain, bold and linked text (links open in the system browser). */
export function RichText(props: { segments: readonly RichSegment[] }) {
  return (
    <>
      {props.segments.map((segment, i) => {
        if (segment.type === 'link') {
          const url = safeUrl(segment.url);
          return url ? (
            <a key={i} href={url} target="_blank" rel="noopener noreferrer" className="message-link">
              {segment.text || segment.url}
            </a>
          ) : (
            <span key={i}>{segment.text}</span>
          );
        }
        return segment.bold ? <strong key={i}>{segment.text}</strong> : <span key={i}>{segment.text}</span>;
      })}
    </>
  );
}
