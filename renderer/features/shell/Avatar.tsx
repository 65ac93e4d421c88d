import { TeamOutlined } from '@ant-design/icons';

const PALETTE = ['#1677ff', '#13a8a8', '#52c41a', '#fa8c16', '#eb2f96', '#722ed1', '#2f54eb', '#fa541c'];

function colorFor(key: string): string {
  let hash = 0;
  for (let i = 0; i < key.length; i++) hash = (hash * 31 + key.charCodeAt(i)) | 0;
  return PALETTE[Math.abs(hash) % PALETTE.length] ?? '#1677ff';
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/** Chinese names show their last two characters (as DingTalk and WeCom do); others, initials. */
export function initials(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) return '?';
  if (CJK.test(trimmed)) return [...trimmed].slice(-2).join('');
  const words = trimmed.split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? (words[0]?.[0] ?? '') + (words[1]?.[0] ?? '') : trimmed.slice(0, 2);
  return letters.toUpperCase();
}

export function Avatar(props: {
  id: string;
  name: string;
  size?: number;
  group?: boolean;
  title?: string;
  /** Makes the avatar a button (opening the person's card), announced as `label`. */
  onClick?: () => void;
  label?: string;
}) {
  const size = props.size ?? 36;
  const text = initials(props.name);
  const face = (
    <span
      className="avatar"
      title={props.title}
      aria-hidden
      style={{
        width: size,
        height: size,
        background: colorFor(props.id),
        fontSize: props.group ? size * 0.5 : text.length > 1 ? size * 0.36 : size * 0.45,
      }}
    >
      {props.group ? <TeamOutlined /> : text}
    </span>
  );
  if (!props.onClick) return face;
  return (
    <button
      type="button"
      className="avatar-button"
      aria-label={props.label ?? props.name}
      data-testid="avatar-button"
      onClick={(e) => {
        e.stopPropagation();
        props.onClick?.();
      }}
    >
      {face}
    </button>
  );
}
