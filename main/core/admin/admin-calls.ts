// 管理后台 calls. Most go to the relay as they are (it checks every right); what they return is
// stored at once so the admin's own directory shows it before the change stream brings it.
// Imports, exports and the template go through the relay's HTTP API.
import type { CallName, ContractService, EventSink } from '../../../shared/contract';
import {
  HttpPaths,
  QixinError,
  type RequestParams,
  type RequestResult,
  type RequestType,
} from '../../../shared/protocol';
import type { LocalCache } from '../cache/local-cache';
import type { AdminHttp } from '../relay/admin-http';
import type { RelayLink } from '../relay/relay-link';
import { fileData, type ImportJobs } from './imports';

type AdminCallName = Extract<CallName, `admin.${string}`>;

export type AdminCallDeps = {
  cache: LocalCache;
  link: RelayLink;
  http: AdminHttp;
  imports: ImportJobs;
  emit: EventSink;
  requireSession(): void;
};

export function adminCalls(deps: AdminCallDeps): Pick<ContractService, AdminCallName> {
  const { cache, http, imports } = deps;

  async function relay<T extends RequestType>(type: T, params: RequestParams<T>): Promise<RequestResult<T>> {
    deps.requireSession();
    try {
      await deps.link.whenOnline();
    } catch {
      throw new QixinError('unavailable', 'the admin console needs a connection to the relay, which is not reachable');
    }
    return deps.link.request(type, params);
  }

  const stored = <T>(result: T, store: () => void): T => {
    store();
    deps.emit('directory.changed', {});
    return result;
  };

  const download = async (path: string, fallbackName: string) => {
    deps.requireSession();
    return fileData(await http.download(path), fallbackName);
  };

  return {
    'admin.scope': (args) => relay('admin.scope', args),
    'admin.dept.create': async (args) => {
      const result = await relay('admin.dept.create', args);
      return stored(result, () => cache.write.upsertDepartment(result.department));
    },
    'admin.dept.update': async (args) => {
      const result = await relay('admin.dept.update', args);
      return stored(result, () => cache.write.upsertDepartment(result.department));
    },
    'admin.dept.delete': async (args) => {
      const result = await relay('admin.dept.delete', args);
      return stored(result, () => cache.write.deleteDirectoryRows('departments', [args.id]));
    },
    'admin.member.create': async (args) => {
      const result = await relay('admin.member.create', args);
      return stored(result, () => cache.write.upsertUser(result.user));
    },
    'admin.member.update': async (args) => {
      const result = await relay('admin.member.update', args);
      return stored(result, () => cache.write.upsertUser(result.user));
    },
    'admin.member.activation': (args) => relay('admin.member.activation', args),
    'admin.roles.get': (args) => relay('admin.roles.get', args),
    'admin.roles.set': (args) => relay('admin.roles.set', args),
    'admin.visibility.get': (args) => relay('admin.visibility.get', args),
    'admin.visibility.set': (args) => relay('admin.visibility.set', args),
    'admin.audit': (args) => relay('admin.audit', args),
    'admin.enterprise.update': (args) => relay('admin.enterprise.update', args),

    'admin.import.start': (args) => {
      deps.requireSession();
      return imports.start(args);
    },
    'admin.import.status': ({ jobId }) => {
      deps.requireSession();
      return imports.status(jobId);
    },
    'admin.import.apply': ({ jobId }) => {
      deps.requireSession();
      return imports.apply(jobId);
    },
    'admin.import.cancel': ({ jobId }) => {
      deps.requireSession();
      return imports.cancel(jobId);
    },
    'admin.import.errorReport': ({ jobId }) => {
      deps.requireSession();
      return imports.errorReport(jobId);
    },
    'admin.import.activations': ({ jobId }) => {
      deps.requireSession();
      return imports.activations(jobId);
    },
    'admin.directory.export': () => download(HttpPaths.directoryExport, '通讯录.xlsx'),
    'admin.directory.template': () => download(HttpPaths.importTemplate, '成员导入模板.xlsx'),
  };
}
