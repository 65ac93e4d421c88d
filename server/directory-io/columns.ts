// The spreadsheet's columns: WeCom's member template with Chinese headers. Imports accept a
// trailing `*` on required headers and English aliases; exports and the template write these.

export type ColumnKey =
  | 'name'
  | 'account'
  | 'alias'
  | 'title'
  | 'departments'
  | 'gender'
  | 'mobile'
  | 'phone'
  | 'email'
  | 'address'
  | 'manager'
  | 'status';

export interface Column {
  key: ColumnKey;
  header: string;
  required: boolean;
  aliases: string[];
  /** Shown on the template's explanation sheet. */
  help: string;
}

export const COLUMNS: readonly Column[] = [
  { key: 'name', header: '姓名', required: true, aliases: ['name'], help: '必填，最多 64 个字符' },
  {
    key: 'account',
    header: '账号',
    required: true,
    aliases: ['account', 'userid', '帐号'],
    help: '必填，成员的唯一标识：2–64 个字母、数字或 . _ @ -；用于匹配已有成员',
  },
  { key: 'alias', header: '别名', required: false, aliases: ['alias'], help: '选填，最多 64 个字符' },
  { key: 'title', header: '职务', required: false, aliases: ['title', 'position'], help: '选填，最多 64 个字符' },
  {
    key: 'departments',
    header: '部门',
    required: true,
    aliases: ['department', 'departments'],
    help: '必填，部门的完整路径，层级以 / 分隔（如 企业名/研发中心/前端组，开头的企业名可省略）；多个部门以 ; 分隔，第一个为主部门；最多 15 级',
  },
  { key: 'gender', header: '性别', required: false, aliases: ['gender'], help: '选填：男、女或未知' },
  {
    key: 'mobile',
    header: '手机',
    required: false,
    aliases: ['mobile'],
    help: '选填，11 位中国大陆手机号（可带 +86），或 + 国家码的国际号码；不可与他人重复',
  },
  { key: 'phone', header: '座机', required: false, aliases: ['phone', 'telephone'], help: '选填，如 010-12345678-123' },
  { key: 'email', header: '邮箱', required: false, aliases: ['email'], help: '选填，最多 128 个字符' },
  { key: 'address', header: '地址', required: false, aliases: ['address'], help: '选填，最多 128 个字符' },
  {
    key: 'manager',
    header: '直属上级',
    required: false,
    aliases: ['manager'],
    help: '选填，直属上级的账号（通讯录中已有的成员，或本文件中的成员）',
  },
  {
    key: 'status',
    header: '状态',
    required: false,
    aliases: ['status'],
    help: '选填：在职、禁用或离职；新成员留空为在职，已有成员留空则不变',
  },
];

/** Header text as the template writes it (required ones marked with *). */
export const templateHeader = (c: Column) => (c.required ? `${c.header}*` : c.header);

const byHeader = new Map<string, ColumnKey>();
for (const c of COLUMNS) {
  for (const h of [c.header, ...c.aliases]) byHeader.set(h.toLowerCase(), c.key);
}

/** The column a header cell names, or null for a column we do not know (kept for the error report). */
export function columnOf(header: string): ColumnKey | null {
  const h = header
    .replace(/[\s\u3000]+/g, '')
    .replace(/[*＊]$/, '')
    .toLowerCase();
  return byHeader.get(h) ?? null;
}

/** Header of the export's second sheet, one department path a row. */
export const DEPARTMENT_SHEET = '部门';
export const DEPARTMENT_SHEET_HEADER = '部门路径';

export const GENDER_TEXT = { male: '男', female: '女', unspecified: '未知' } as const;
export const STATUS_TEXT = { active: '在职', disabled: '禁用', left: '离职' } as const;

export const GENDER_OF: Record<string, 'male' | 'female' | 'unspecified'> = {
  男: 'male',
  女: 'female',
  未知: 'unspecified',
  male: 'male',
  female: 'female',
  unspecified: 'unspecified',
};
export const STATUS_OF: Record<string, 'active' | 'disabled' | 'left'> = {
  在职: 'active',
  禁用: 'disabled',
  已禁用: 'disabled',
  离职: 'left',
  已离职: 'left',
  active: 'active',
  disabled: 'disabled',
  left: 'left',
};

/** Several departments in one cell: `;` or the full-width `；`. */
export const splitDepartments = (cell: string) =>
  cell
    .split(/[;；]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
