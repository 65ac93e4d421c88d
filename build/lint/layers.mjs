// The layer rule (DESIGN §2): each top-level folder is a layer with the folders and the
// packages it may import. A bare package that is not on the layer's list fails, and so does
// a relative import that reaches into a folder the layer may not use. Type-only imports are
// exempt: they vanish at build time.
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const NODE = 'node:*';

/**
 * Ordered: the first layer whose folder prefixes a file's path owns it. `folders` are path
 * prefixes (relative to the repo root) the layer may import from; `packages` are package names
 * (`node:*` = Node's built-in modules, always with the `node:` prefix).
 */
export const layers = [
  { name: 'shared/', prefix: 'shared/', folders: ['shared/'], packages: ['zod', 'uuid', 'pinyin-pro', 'ical.js'] },
  {
    name: 'server/',
    prefix: 'server/',
    folders: ['server/', 'shared/'],
    packages: [
      NODE,
      'ws',
      'kysely',
      'better-sqlite3',
      'pg',
      'ioredis',
      'pino',
      'zod',
      'uuid',
      'pinyin-pro',
      'exceljs',
      'csv-parse',
      '@tus/server',
      '@tus/file-store',
      'ical.js',
    ],
  },
  {
    name: 'main/core/',
    prefix: 'main/core/',
    folders: ['main/core/', 'shared/'],
    packages: [NODE, 'better-sqlite3', 'ws', 'pino', 'pinyin-pro', 'zod', 'uuid', 'tus-js-client', 'ical.js'],
  },
  {
    name: 'main/electron/',
    prefix: 'main/electron/',
    folders: ['main/electron/', 'main/core/', 'shared/'],
    packages: ['electron', 'electron-store', NODE, 'zod'],
  },
  {
    name: 'preload/',
    prefix: 'preload/',
    folders: ['preload/', 'shared/contract/'],
    packages: ['electron'],
    // The preload sees only the safe parts of electron's API (webUtils: a dropped File's path).
    names: { electron: ['contextBridge', 'ipcRenderer', 'webUtils'] },
  },
  {
    name: 'renderer/',
    prefix: 'renderer/',
    folders: ['renderer/', 'shared/'],
    packages: [
      'react',
      'react-dom',
      'antd',
      '@ant-design/icons',
      'i18next',
      'react-i18next',
      '@tanstack/react-virtual',
      'pinyin-pro',
      'zod',
      'uuid',
      'pdfjs-dist',
      'ical.js',
      '@fullcalendar/core',
      '@fullcalendar/react',
      '@fullcalendar/daygrid',
      '@fullcalendar/timegrid',
      '@fullcalendar/list',
      '@fullcalendar/interaction',
    ],
  },
];

/** Packages that one module owns inside its layer (STYLE: better-sqlite3 only in the cache module). */
export const confined = {
  'better-sqlite3': ['main/core/cache/', 'server/store/'],
  pg: ['server/store/'],
  ioredis: ['server/bus/'],
};

/** Files that belong to no layer: tests, build scripts and tool configs may import anything. */
const FREE = [/^tests\//, /^build\//, /^[^/]+$/, /(^|\/)[^/]+\.config\.[cm]?[jt]s$/];
/** Unit tests beside the code may use any package (vitest, node:*), but still not other layers' folders. */
const UNIT_TEST = /\.test\.[cm]?[jt]sx?$/;

const builtins = new Set(builtinModules.filter((m) => !m.startsWith('_')));

function toRepoPath(file) {
  return path.relative(repoRoot, file).split(path.sep).join('/');
}

export function layerOf(repoPath) {
  if (FREE.some((re) => re.test(repoPath))) return null;
  return layers.find((layer) => repoPath.startsWith(layer.prefix)) ?? null;
}

function packageName(source) {
  if (source.startsWith('node:')) return NODE;
  const parts = source.split('/');
  return source.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? source);
}

function describe(layer) {
  const pkgs = layer.packages.map((p) => (layer.names?.[p] ? `${p} (${layer.names[p].join(', ')})` : p));
  return `${layer.name} may import ${layer.folders.join(', ')} and the packages ${pkgs.join(', ')}`;
}

function isTypeOnly(node) {
  if (node.importKind === 'type' || node.exportKind === 'type') return true;
  const specifiers = node.specifiers ?? [];
  return (
    node.type === 'ImportDeclaration' &&
    specifiers.length > 0 &&
    specifiers.every((s) => s.type === 'ImportSpecifier' && s.importKind === 'type')
  );
}

/** @type {import('eslint').Rule.RuleModule} */
export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Each layer imports only the folders and packages DESIGN §2 allows it' },
    schema: [],
    messages: {
      folder: "{{rule}}; '{{source}}' reaches into {{target}} (DESIGN §2).",
      outside: "{{rule}}; '{{source}}' resolves outside the repository's layers (DESIGN §2).",
      package: "{{rule}}; '{{source}}' is not on {{layer}}'s package list (DESIGN §2).",
      builtin: "{{rule}}; write Node built-ins with their prefix ('node:{{source}}').",
      name: "{{rule}}; '{{name}}' from '{{source}}' is not allowed here (DESIGN §2).",
      confined: "'{{source}}' belongs to {{owners}} only: go through that module's interface.",
    },
  },
  create(context) {
    const filename = context.physicalFilename ?? context.filename;
    const repoPath = toRepoPath(filename);
    const layer = layerOf(repoPath);
    if (!layer) return {};
    const isUnitTest = UNIT_TEST.test(repoPath);
    const rule = describe(layer);

    function check(node, source, importedNames) {
      if (typeof source !== 'string') return;
      if (source.startsWith('.') || source.startsWith('/')) {
        const target = toRepoPath(path.resolve(path.dirname(filename), source));
        if (target.startsWith('..')) {
          context.report({ node, messageId: 'outside', data: { rule, source } });
          return;
        }
        const targetLayer = layers.find((l) => target.startsWith(l.prefix) || target === l.prefix.slice(0, -1));
        if (layer.folders.some((f) => target.startsWith(f) || target === f.slice(0, -1))) return;
        const where = targetLayer ? targetLayer.name : `${target.split('/')[0]}/`;
        context.report({ node, messageId: 'folder', data: { rule, source, target: where } });
        return;
      }
      if (isUnitTest) return;
      const pkg = packageName(source);
      if (pkg !== NODE && builtins.has(pkg) && layer.packages.includes(NODE)) {
        context.report({ node, messageId: 'builtin', data: { rule, source } });
        return;
      }
      if (!layer.packages.includes(pkg)) {
        context.report({ node, messageId: 'package', data: { rule, source, layer: layer.name } });
        return;
      }
      const owners = confined[pkg];
      if (owners && !owners.some((owner) => repoPath.startsWith(owner))) {
        context.report({ node, messageId: 'confined', data: { source, owners: owners.join(', ') } });
        return;
      }
      const allowedNames = layer.names?.[pkg];
      if (!allowedNames) return;
      if (importedNames === null) {
        context.report({ node, messageId: 'name', data: { rule, source, name: '*' } });
        return;
      }
      for (const name of importedNames) {
        if (!allowedNames.includes(name)) context.report({ node, messageId: 'name', data: { rule, source, name } });
      }
    }

    /** Named imports as a list; null when the whole module is taken (default, namespace, dynamic). */
    function namesOf(node) {
      const names = [];
      for (const s of node.specifiers ?? []) {
        if (s.type !== 'ImportSpecifier' || s.importKind === 'type') {
          if (s.type !== 'ImportSpecifier') return null;
          continue;
        }
        names.push(s.imported.type === 'Identifier' ? s.imported.name : String(s.imported.value));
      }
      return names;
    }

    return {
      ImportDeclaration(node) {
        if (!isTypeOnly(node)) check(node, node.source.value, namesOf(node));
      },
      ExportNamedDeclaration(node) {
        if (node.source && !isTypeOnly(node)) check(node, node.source.value, null);
      },
      ExportAllDeclaration(node) {
        if (!isTypeOnly(node)) check(node, node.source.value, null);
      },
      ImportExpression(node) {
        if (node.source.type === 'Literal') check(node, node.source.value, null);
      },
      CallExpression(node) {
        const [arg] = node.arguments;
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && arg?.type === 'Literal') {
          check(node, arg.value, null);
        }
      },
    };
  },
};

export default { rules: { layers: layersRule } };
