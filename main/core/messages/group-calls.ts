// 群管理: passed to the relay, which checks every rule (owner, admins, settings); the
// conversation it returns is stored at once so the caller sees the change before the change
// stream brings it.
import type { CallName, ContractService } from '../../../shared/contract';
import type { Conversation, RequestParams, RequestResult, RequestType } from '../../../shared/protocol';

type GroupCallName = Extract<CallName, `groups.${string}`>;

export type GroupCallDeps = {
  requireSession(): void;
  ask<T extends RequestType>(type: T, params: RequestParams<T>): Promise<RequestResult<T>>;
  /** Stores a conversation the relay returned and tells the renderer. */
  adoptConversation(conversation: Conversation): void;
};

export function groupCalls(deps: GroupCallDeps): Pick<ContractService, GroupCallName> {
  const adopt = async <T extends RequestType>(type: T, params: RequestParams<T>) => {
    deps.requireSession();
    const result = await deps.ask(type, params);
    deps.adoptConversation((result as { conversation: Conversation }).conversation);
    return result;
  };
  return {
    'groups.setAdmins': (args) => adopt('group.setAdmins', args),
    'groups.transfer': (args) => adopt('group.transfer', args),
    'groups.dissolve': (args) => adopt('group.dissolve', args),
    'groups.setAnnouncement': (args) => adopt('group.setAnnouncement', args),
    'groups.setSettings': (args) => adopt('group.setSettings', args),
    'groups.announcements': async (args) => {
      deps.requireSession();
      return deps.ask('group.announcements', args);
    },
  };
}
