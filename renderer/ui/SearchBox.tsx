import { Input } from 'antd';
import { SearchOutlined } from '@ant-design/icons';

/** A clearable search field with a magnifier prefix (filled unless told); the caller passes the translated texts. */
export function SearchBox(props: {
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
  ariaLabel: string;
  variant?: 'filled' | 'outlined';
}) {
  return (
    <Input
      allowClear
      variant={props.variant ?? 'filled'}
      prefix={<SearchOutlined />}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
      placeholder={props.placeholder}
      aria-label={props.ariaLabel}
    />
  );
}
