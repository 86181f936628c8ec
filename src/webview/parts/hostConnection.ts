import {
  REPLY_KINDS,
  parseFormState,
  parseHostMessage,
  type FormState,
  type HostMessage,
  type Reply,
  type WebviewMessage,
  type WebviewRequest,
} from '../../tokenPanels/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

type RequestWithoutId = WebviewRequest extends infer R ? (R extends WebviewRequest ? Omit<R, 'requestId'> : never) : never;

/**
 * The webview's end of the protocol: every message from the host is validated before it is acted on
 * (a malformed one is dropped and reported to the host's log); requests get promises resolved by the
 * reply with the same id, of a kind that answers that request.
 */
export class HostConnection {
  private readonly api = acquireVsCodeApi();
  private nextId = 1;
  private readonly pending = new Map<number, { type: WebviewRequest['type']; resolve: (reply: Reply) => void }>();

  constructor(private readonly onMessage: (message: Exclude<HostMessage, { type: 'reply' }>) => void) {
    window.addEventListener('message', (event: MessageEvent<unknown>) => this.receive(event.data));
  }

  ready(): void {
    this.post({ type: 'ready' });
  }

  request(request: RequestWithoutId): Promise<Reply> {
    const requestId = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(requestId, { type: request.type, resolve });
      this.post({ ...request, requestId });
    });
  }

  post(message: WebviewMessage): void {
    this.api.postMessage(message);
  }

  log(level: 'info' | 'warn' | 'error', message: string): void {
    this.post({ type: 'log', level, message: message.slice(0, 3_900) });
  }

  /** The saved form (never tokens), if there is a valid one. */
  savedForm(): FormState | undefined {
    const raw = this.api.getState();
    if (raw === undefined || raw === null) return undefined;
    const parsed = parseFormState(raw);
    if (!parsed.ok) {
      this.log('warn', `ignored a saved form state that does not validate: ${parsed.reason}`);
      return undefined;
    }
    return parsed.value;
  }

  saveForm(form: FormState): void {
    this.api.setState(form);
  }

  private receive(raw: unknown): void {
    const parsed = parseHostMessage(raw);
    if (!parsed.ok) {
      console.warn('SlashID minter: dropped a malformed message from the extension:', parsed.reason);
      this.log('warn', `dropped a malformed message from the extension: ${parsed.reason}`);
      return;
    }
    const message = parsed.value;
    if (message.type !== 'reply') {
      this.onMessage(message);
      return;
    }
    const waiting = this.pending.get(message.requestId);
    if (!waiting) {
      this.log('warn', `dropped a reply to unknown request ${message.requestId}`);
      return;
    }
    if (!REPLY_KINDS[waiting.type].includes(message.reply.kind)) {
      this.log('warn', `dropped a "${message.reply.kind}" reply to a "${waiting.type}" request`);
      return;
    }
    this.pending.delete(message.requestId);
    waiting.resolve(message.reply);
  }
}
