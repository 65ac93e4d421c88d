import { useMemo } from 'react';
import type { User } from '../../../../shared/protocol/entities';
import { textRuns } from './text-runs';

/** Plain text with clickable http(s) links and the message's @mentions highlighted. */
export function MessageText(props: {
  text: string;
  mentions: readonly string[];
  mentionAll: boolean;
  byId: Map<string, User>;
  allLabel: string;
}) {
  const { text, mentions, mentionAll, byId, allLabel } = props;
  const runs = useMemo(() => {
    const names = mentions.map((id) => byId.get(id)?.name ?? '').filter(Boolean);
    if (mentionAll) names.push(allLabel);
    return textRuns(text, names);
  }, [text, mentions, mentionAll, byId, allLabel]);
  return (
    <>
      {runs.map((run, i) =>
        run.type === 'link' ? (
          // The shell opens http(s) links in the system browser (new windows are denied).
          <a key={i} href={run.url} target="_blank" rel="noopener noreferrer" className="message-link">
            {run.text}
          </a>
        ) : run.type === 'mention' ? (
          <span key={i} className="message-mention" data-testid="mention">
            {run.text}
          </span>
        ) : (
          <span key={i}>{run.text}</span>
        ),
      )}
    </>
  );
}
