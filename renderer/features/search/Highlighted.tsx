import { highlightPieces } from './highlight';

/** A text with every occurrence of the query marked (case-insensitive). */
export function Highlighted(props: { text: string; query: string }) {
  return (
    <>
      {highlightPieces(props.text, props.query).map((piece, i) =>
        piece.hit ? (
          <mark key={i} className="search-hit" data-testid="search-hit">
            {piece.text}
          </mark>
        ) : (
          <span key={i}>{piece.text}</span>
        ),
      )}
    </>
  );
}
