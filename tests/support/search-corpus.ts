// A deterministic corpus of office chat for search tests and benchmarks: mixed Chinese and
// English, full-width punctuation, emoji, numbers, links and code-like tokens, with planted
// targets (上海 at the start, middle and end of sentences, beside ，。！ and inside quotes) and
// near-misses that a sloppy index would wrongly find (上 海, 海上, 上，海). The oracle
// `expectedMatches` is a plain substring scan, independent of any index.
import type { Message } from '../../shared/protocol';
import type { MessageBody, MessageSearchFilters } from '../../shared/protocol/message-content';
import { hasLink, matchesQuery, searchableText } from '../../shared/lib/search-text';

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
const hex = (rng: Rng, digits: number) => {
  let out = '';
  for (let i = 0; i < digits; i++) out += Math.floor(rng() * 16).toString(16);
  return out;
};
/** A UUIDv7 (time-sortable, valid for the protocol's z.uuid()) from the PRNG. */
function uuid7(rng: Rng, at: number): string {
  const ts = at.toString(16).padStart(12, '0');
  const variant = (8 + Math.floor(rng() * 4)).toString(16);
  return `${ts.slice(0, 8)}-${ts.slice(8)}-7${hex(rng, 3)}-${variant}${hex(rng, 3)}-${hex(rng, 12)}`;
}

export interface CorpusUser {
  id: string;
  name: string;
}
export interface CorpusConversation {
  id: string;
  type: 'direct' | 'group';
  name: string | null;
  memberIds: string[];
}
export interface Corpus {
  users: CorpusUser[];
  conversations: CorpusConversation[];
  /** Oldest first; createdAt never decreases and repeats now and then (same-millisecond sends). */
  messages: Message[];
}

// Names include traps: 上官 starts with 上, 海涛 with 海 (neither is 上海).
const PEOPLE = [
  '张伟',
  '王芳',
  '李娜',
  '刘洋',
  '陈静',
  '杨磊',
  '赵敏',
  '黄海涛',
  '周杰',
  '吴昊',
  '上官婉儿',
  'Emily Chen',
];
const GROUPS = ['上海研发中心', '报销审批群', '部署值班', 'Qixin Core', '市场部·华东', '北京-上海项目组'];

const WORDS = [
  '报销',
  '部署',
  '会议',
  '周报',
  '项目',
  '客户',
  '合同',
  '审批',
  '发票',
  '预算',
  '服务器',
  '数据库',
  '测试',
  '上线',
  '版本',
  '需求',
  '文档',
  '加班',
  '出差',
  '培训',
  '面试',
  '考勤',
  '请假',
  '年假',
  '采购',
  '财务',
  '人事',
  '市场部',
  '销售',
  '运营',
  '产品',
  '设计',
  '接口',
  '故障',
  '回滚',
  '日志',
  '监控',
  '告警',
  '供应商',
  '发布',
  '评审',
  '报销单',
  '灰度',
  '机房',
  '网关',
  '证书',
  '权限',
  '账号',
  '工单',
  '排期',
];
const CITIES = ['上海', '北京', '深圳', '杭州', '广州', '成都', '南京', '苏州'];
const TIMES = ['明天', '今天下午', '周五前', '下周一', '月底', '3月15日', '2026-03-01', '晚上8点', '上午十点'];
const VERBS = ['记得', '麻烦', '请', '帮忙', '尽快', '别忘了', '务必', '可以'];
const ACTIONS = ['提交', '确认', '处理', '跟进', '同步一下', '看一下', '过一遍', '签字', '审核'];
const LATIN = [
  'Deploy',
  'deploy',
  'DEPLOY',
  'deployment',
  'Qixin',
  'qixin',
  'QiXin',
  'release',
  'Hotfix',
  'server',
  'SERVER',
  'API',
  'PR',
  'merge',
  'Build',
  'OK',
  'ok',
  'Kubernetes',
  'nginx',
  'Redis',
  'PostgreSQL',
  'Excel',
  'review',
  'Sprint',
  'standup',
  'LGTM',
  'ETA',
  'Jira',
  'Wiki',
];
const CODE = [
  'v2.3.1',
  'v2版本',
  'user_id',
  'getUserById()',
  'config.yaml',
  '#1234',
  'PR-512',
  'ERR_CONN_RESET',
  'x86_64',
  'SELECT * FROM orders',
  'npm run build',
  '/var/log/qixin',
  '404',
  'HTTP 502',
  'k8s',
];
const URLS = [
  'https://git.qixin.example/ops/deploy/-/merge_requests/123',
  'http://wiki.example.com/上海办公室',
  'https://docs.qixin.cn/报销流程?id=42',
  'https://jira.example.com/browse/QX-2048',
  'http://10.0.3.17:8080/health',
];
const EMOJI = ['👍', '😂', '🎉', '🙏', '✅', '🔥', '❤️', '🤔', '👌'];
const NUMBERS = ['1,280.50元', '13800138000', '3000', '第2季度', '20%', '１２３', '99.9%', '7×24'];
const ENDINGS = ['。', '！', '？', '～', '…', '', '!!', '。。。', '?'];
const JOINERS = ['，', '；', '、', ', ', ' ', '：', '\n'];

/** Sentences that put 上海 where tokenizers go wrong: at the edges, beside punctuation and quotes. */
const PLANTED_SHANGHAI = [
  (w: string) => `上海${w}`,
  (w: string) => `${w}上海`,
  (w: string) => `${w}在上海${w}`,
  (w: string) => `去上海，${w}`,
  (w: string) => `${w}，上海。`,
  (w: string) => `上海！${w}`,
  (w: string) => `“上海”${w}`,
  (w: string) => `「上海」的${w}`,
  (w: string) => `${w}（上海）`,
  (w: string) => `上海市${w}`,
  (w: string) => `上海办公室${w}`,
  (w: string) => `from Shanghai上海 ${w}`,
];
/** Near-misses: contain 上 and 海 but not 上海 (a bigram index that forgets order finds these). */
const NEAR_MISSES = ['上 海', '海上', '上，海', '上\n海', '上。海', '海上上', '北上，海关', '上官海涛'];
/** Rare planted phrases (a handful per 10,000 messages). */
const RARE = ['灰度发布回滚演练', '鑫', 'QiXin部署', 'qixin部署', 'API接口联调', '「上海」', '外滩18号'];

function clause(rng: Rng): string {
  const r = rng();
  if (r < 0.2) return `${pick(rng, VERBS)}${pick(rng, TIMES)}${pick(rng, ACTIONS)}${pick(rng, WORDS)}`;
  if (r < 0.35) return `${pick(rng, CITIES)}的${pick(rng, WORDS)}${pick(rng, ACTIONS)}了`;
  if (r < 0.47) return `${pick(rng, WORDS)} ${pick(rng, LATIN)} ${pick(rng, WORDS)}`;
  if (r < 0.55) return `${pick(rng, LATIN)} ${pick(rng, LATIN).toLowerCase()} ${pick(rng, CODE)}`;
  if (r < 0.63) return `${pick(rng, WORDS)}${pick(rng, NUMBERS)}`;
  if (r < 0.7) return `${pick(rng, PEOPLE)}${pick(rng, VERBS)}${pick(rng, ACTIONS)}`;
  if (r < 0.76) return `“${pick(rng, WORDS)}”${pick(rng, ACTIONS)}`;
  if (r < 0.8) return pick(rng, PLANTED_SHANGHAI)(pick(rng, WORDS));
  if (r < 0.82) return pick(rng, NEAR_MISSES);
  if (r < 0.85) return `见 ${pick(rng, URLS)}`;
  if (r < 0.87) return `${pick(rng, CODE)}${pick(rng, WORDS)}`;
  if (r < 0.875) return pick(rng, RARE);
  return `${pick(rng, WORDS)}${pick(rng, WORDS)}${pick(rng, ACTIONS)}`;
}

/** A chat line: 1–5 clauses, sometimes a long one (up to ~30), an emoji now and then. */
function sentence(rng: Rng): string {
  const clauses = rng() < 0.04 ? 8 + Math.floor(rng() * 24) : 1 + Math.floor(rng() * 5);
  let text = rng() < 0.1 ? `@${pick(rng, PEOPLE)} ` : '';
  for (let i = 0; i < clauses; i++) {
    text += clause(rng);
    text += i + 1 < clauses ? pick(rng, JOINERS) : pick(rng, ENDINGS);
  }
  if (rng() < 0.12) text += pick(rng, EMOJI);
  if (rng() < 0.03) text = pick(rng, EMOJI);
  return text;
}

function payload(
  rng: Rng,
  at: number,
  users: CorpusUser[],
): { kind: Message['kind']; text: string; body: MessageBody | null } {
  const r = rng();
  if (r < 0.04) {
    return {
      kind: 'image',
      text: '[图片]',
      body: {
        kind: 'image',
        mediaId: uuid7(rng, at),
        thumbId: null,
        mime: 'image/png',
        size: 1000 + Math.floor(rng() * 100_000),
        width: 640,
        height: 480,
      },
    };
  }
  if (r < 0.065) {
    const city = pick(rng, CITIES);
    return {
      kind: 'location',
      text: '[位置]',
      body: {
        kind: 'location',
        name: `${city}${pick(rng, ['办公室', '会议中心', '站', '机房'])}`,
        address: `${city}市${pick(rng, ['浦东新区', '海淀区', '南山区', '黄浦区'])}${1 + Math.floor(rng() * 300)}号`,
        latitude: 31.2,
        longitude: 121.5,
      },
    };
  }
  if (r < 0.08) {
    const user = pick(rng, users);
    return { kind: 'card', text: '[名片]', body: { kind: 'card', userId: user.id, name: user.name } };
  }
  if (r < 0.11) {
    const url = pick(rng, URLS);
    const lead = sentence(rng);
    return {
      kind: 'rich',
      text: `${lead}${url}`,
      body: {
        kind: 'rich',
        segments: [
          { type: 'text', text: lead, bold: false },
          { type: 'link', text: url, url: encodeURI(url) },
        ],
      },
    };
  }
  if (r < 0.12) {
    const items = Array.from({ length: 2 + Math.floor(rng() * 3) }, () => {
      const user = pick(rng, users);
      return {
        senderId: user.id,
        senderName: user.name,
        kind: 'text' as const,
        text: sentence(rng),
        body: null,
        createdAt: at - 1000,
      };
    });
    return {
      kind: 'history',
      text: '[聊天记录]',
      body: { kind: 'history', title: { conversationType: 'group', names: [] }, items },
    };
  }
  return { kind: 'text', text: sentence(rng), body: null };
}

/** The first `n` messages of the corpus of `seed`, one at a time (1,000,000 fit in no array). */
export function* corpusMessages(n: number, seed: number, start = Date.UTC(2025, 0, 6, 1, 0, 0)): Generator<Message> {
  const { users, conversations } = corpusPeople(seed);
  const rng = seededRandom(seed ^ 0x5eed);
  const seqs = new Map<string, number>();
  let at = start;
  for (let i = 0; i < n; i++) {
    // ~30 s apart on average (1,000,000 span about a year); 3% share the previous millisecond.
    if (rng() >= 0.03) at += 1 + Math.floor(rng() * 60_000);
    const conversation = conversations[Math.floor(Math.pow(rng(), 1.6) * conversations.length)]!;
    const senderId = pick(rng, conversation.memberIds);
    const seq = (seqs.get(conversation.id) ?? 0) + 1;
    seqs.set(conversation.id, seq);
    const { kind, text, body } = payload(rng, at, users);
    yield {
      id: uuid7(rng, at),
      conversationId: conversation.id,
      seq,
      senderId,
      kind,
      text,
      system: null,
      body,
      quote: null,
      mentions: [],
      mentionAll: false,
      forwarded: false,
      reactions: [],
      recalledAt: null,
      rev: 0,
      hidden: false,
      createdAt: at,
    };
  }
}

/** The people and chats of the corpus of `seed` (the messages' senders and conversations). */
export function corpusPeople(seed: number): Pick<Corpus, 'users' | 'conversations'> {
  const rng = seededRandom(seed);
  const born = Date.UTC(2024, 0, 1);
  const users = PEOPLE.map((name) => ({ id: uuid7(rng, born), name }));
  const conversations: CorpusConversation[] = [];
  for (let i = 0; i < 4; i++) {
    conversations.push({
      id: uuid7(rng, born),
      type: 'direct',
      name: null,
      memberIds: [users[0]!.id, users[i + 1]!.id],
    });
  }
  GROUPS.forEach((name, i) => {
    const members = users.filter((_, u) => u === 0 || (u + i) % 3 !== 0).map((u) => u.id);
    conversations.push({ id: uuid7(rng, born), type: 'group', name, memberIds: members });
  });
  return { users, conversations };
}

/** A whole corpus in memory (tests): `n` messages, oldest first. */
export function generateCorpus(n: number, seed: number): Corpus {
  return { ...corpusPeople(seed), messages: [...corpusMessages(n, seed)] };
}

/** The kinds of query the acceptance names; every kind gets a p95 in the benchmark. */
export type QueryKind =
  | 'one-char common'
  | 'one-char rare'
  | 'one-char absent'
  | 'two-char'
  | 'three-plus-char'
  | 'rare phrase'
  | 'mixed zh-en'
  | 'punctuation'
  | 'latin mid-word'
  | 'latin case';

export const RECALL_QUERIES: readonly { query: string; kind: QueryKind }[] = [
  { query: '上', kind: 'one-char common' },
  { query: '的', kind: 'one-char common' },
  { query: 'e', kind: 'one-char common' },
  { query: 'Q', kind: 'one-char common' },
  { query: '鑫', kind: 'one-char rare' },
  { query: '👍', kind: 'one-char rare' },
  { query: '龘', kind: 'one-char absent' },
  { query: '上海', kind: 'two-char' },
  { query: '报销', kind: 'two-char' },
  { query: '部署', kind: 'two-char' },
  { query: '海上', kind: 'two-char' },
  { query: 'ok', kind: 'two-char' },
  { query: '上海市', kind: 'three-plus-char' },
  { query: '报销单', kind: 'three-plus-char' },
  { query: '服务器', kind: 'three-plus-char' },
  { query: '上海办公室', kind: 'three-plus-char' },
  { query: '周五前提交', kind: 'three-plus-char' },
  { query: '灰度发布回滚演练', kind: 'rare phrase' },
  { query: '外滩18号', kind: 'rare phrase' },
  { query: '龘龘龘', kind: 'rare phrase' },
  { query: 'qixin部署', kind: 'mixed zh-en' },
  { query: 'v2版本', kind: 'mixed zh-en' },
  { query: 'API接口', kind: 'mixed zh-en' },
  { query: 'Shanghai上海', kind: 'mixed zh-en' },
  { query: '部署 Deploy', kind: 'mixed zh-en' },
  { query: '上海，', kind: 'punctuation' },
  { query: '“上海”', kind: 'punctuation' },
  { query: '「上海」', kind: 'punctuation' },
  { query: '上海！', kind: 'punctuation' },
  { query: '，上海。', kind: 'punctuation' },
  { query: '（上海）', kind: 'punctuation' },
  { query: 'ploy', kind: 'latin mid-word' },
  { query: 'ubern', kind: 'latin mid-word' },
  { query: 'merge_requests', kind: 'latin mid-word' },
  { query: 'DEPLOY', kind: 'latin case' },
  { query: 'qixin', kind: 'latin case' },
  { query: 'PostgreSQL', kind: 'latin case' },
];

/** The 链接 filter: a web address in the searchable text, or a linked run of rich text. */
function linked(m: Message): boolean {
  if (m.body?.kind === 'rich' && m.body.segments.some((s) => s.type === 'link')) return true;
  return hasLink(searchableText(m));
}

/** Does a message pass the search filters (the kind filter as the relay and the cache read it)? */
export function passesFilters(m: Message, filters: MessageSearchFilters): boolean {
  if (filters.conversationId !== undefined && m.conversationId !== filters.conversationId) return false;
  if (filters.senderId !== undefined && m.senderId !== filters.senderId) return false;
  if (filters.from !== undefined && m.createdAt < filters.from) return false;
  if (filters.to !== undefined && m.createdAt > filters.to) return false;
  if (filters.kind === 'image' && m.kind !== 'image') return false;
  if (filters.kind === 'file' && m.kind !== 'file') return false;
  if (filters.kind === 'link' && !linked(m)) return false;
  return true;
}

/**
 * The true answer: ids of the messages whose searchable text contains `query` (case-insensitive
 * substring) and which pass `filters`. Recalled and hidden messages and system notices are never found.
 */
export function expectedMatches(
  corpus: Corpus | Iterable<Message>,
  query: string,
  filters: MessageSearchFilters = {},
): Set<string> {
  const messages = 'messages' in corpus ? corpus.messages : corpus;
  const out = new Set<string>();
  for (const m of messages) {
    if (m.recalledAt !== null || m.hidden || m.kind === 'system') continue;
    if (matchesQuery(searchableText(m), query) && passesFilters(m, filters)) out.add(m.id);
  }
  return out;
}
