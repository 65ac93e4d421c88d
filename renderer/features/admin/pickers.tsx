import { useEffect, useMemo, useState } from 'react';
import { Select, TreeSelect } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDirectory, useUsers } from '../contacts/directory';
import { pathText, type Org } from '../contacts/org';
import { useDirectorySearch } from '../contacts/useDirectorySearch';

type TreeNode = { value: string; title: string; children?: TreeNode[]; disabled?: boolean };

/** The department tree as TreeSelect/Tree data, from `roots` down; `exclude` (and below) left out. */
export function departmentTree(org: Org, roots: readonly string[], exclude?: string): TreeNode[] {
  const build = (id: string, depth: number): TreeNode | null => {
    const d = org.byId.get(id);
    if (!d || id === exclude || depth > 64) return null;
    const children = (org.children.get(id) ?? [])
      .map((c) => build(c.id, depth + 1))
      .filter((n): n is TreeNode => n !== null);
    return { value: d.id, title: d.name, ...(children.length > 0 ? { children } : {}) };
  };
  return roots.map((id) => build(id, 0)).filter((n): n is TreeNode => n !== null);
}

/** Picks departments (one or several) from the tree; shows full paths once picked. */
export function DepartmentSelect(props: {
  value?: string | string[];
  onChange?: (value: string | string[]) => void;
  multiple?: boolean;
  roots?: readonly string[];
  exclude?: string;
  ariaLabel: string;
  placeholder?: string;
}) {
  const { t } = useTranslation();
  const { org } = useDirectory();
  const { roots, exclude } = props;
  const treeData = useMemo(
    () => departmentTree(org, roots ?? (org.root ? [org.root.id] : []), exclude),
    [org, roots, exclude],
  );
  const value = props.value;
  const title = Array.isArray(value)
    ? value.map((id) => pathText(org, id)).join(t('common.groupSeparator'))
    : value
      ? pathText(org, value)
      : undefined;
  return (
    <TreeSelect
      value={value}
      onChange={(v) => props.onChange?.(v as string | string[])}
      treeData={treeData}
      multiple={props.multiple}
      treeDefaultExpandAll
      showSearch={{ treeNodeFilterProp: 'title' }}
      allowClear
      placeholder={props.placeholder}
      aria-label={props.ariaLabel}
      style={{ width: '100%' }}
      popupMatchSelectWidth={false}
      title={title}
      {...(props.multiple ? { maxTagCount: 'responsive' as const } : {})}
    />
  );
}

/** Picks colleagues by typing (name, pinyin, initials, account…) through `directory.search`. */
export function UserSelect(props: {
  value?: string | string[] | null;
  onChange?: (value: string | string[] | null) => void;
  multiple?: boolean;
  ariaLabel: string;
  placeholder?: string;
  excludeId?: string;
}) {
  const { t } = useTranslation();
  const { remember } = useDirectory();
  const [query, setQuery] = useState('');
  const search = useDirectorySearch(query, 30);
  const chosen = useMemo(
    () => (Array.isArray(props.value) ? props.value : props.value ? [props.value] : []),
    [props.value],
  );
  const byId = useUsers(chosen);
  useEffect(() => {
    if (search.results) remember(search.results.users);
  }, [search.results, remember]);
  const options = useMemo(() => {
    const seen = new Set<string>();
    const out: { value: string; label: string }[] = [];
    for (const id of chosen) {
      seen.add(id);
      out.push({ value: id, label: byId.get(id)?.name ?? t('common.unknownUser') });
    }
    for (const u of search.results?.users ?? []) {
      if (seen.has(u.id) || u.id === props.excludeId) continue;
      seen.add(u.id);
      out.push({ value: u.id, label: `${u.name}${t('common.parenthesized', { text: u.account })}` });
    }
    return out;
  }, [chosen, byId, search.results, props.excludeId, t]);
  return (
    <Select
      mode={props.multiple ? 'multiple' : undefined}
      value={props.multiple ? chosen : (chosen[0] ?? null)}
      onChange={(v) => props.onChange?.((v as string | string[] | undefined) ?? null)}
      showSearch={{ filterOption: false, onSearch: setQuery }}
      onBlur={() => setQuery('')}
      options={options}
      allowClear
      loading={search.loading}
      placeholder={props.placeholder ?? t('admin.typeToFind')}
      aria-label={props.ariaLabel}
      notFoundContent={query.trim() ? t('picker.noMatch') : t('admin.typeToFind')}
      style={{ width: '100%' }}
    />
  );
}
