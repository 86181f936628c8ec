import * as assert from 'node:assert/strict';
import { parseHostMessage, type HostMessage, type Reply } from '../../src/tokenPanels/protocol';

/**
 * A panel's requests as its webview sends them (through the same validation, with increasing request
 * IDs); each reply is checked to pass the protocol, or the webview would drop it.
 */
export function panelRequests(panel: () => { dispatch(raw: unknown): Promise<HostMessage | undefined> }) {
  let nextId = 1;
  return async (message: Record<string, unknown>): Promise<Reply> => {
    const reply = await panel().dispatch({ ...message, requestId: nextId++ });
    assert.ok(reply && reply.type === 'reply', `no reply to ${String(message.type)}`);
    const check = parseHostMessage(reply);
    assert.ok(check.ok, `the reply would be dropped by the webview: ${check.ok ? '' : check.reason}`);
    return reply.reply;
  };
}
