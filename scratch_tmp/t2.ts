import http from 'node:http';
import { ConnectorClient, MicrosoftAppCredentials } from 'botframework-connector';
(async () => {
  const server = http.createServer(() => {}); await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as any).port;
  const policy = { create: (next: any) => ({ sendRequest: (req: any) => { console.log('policy', Object.keys(req).join(','), req.timeout); req.timeout = 500; return next.sendRequest(req); } }) };
  const client = new ConnectorClient(new MicrosoftAppCredentials('', ''), { baseUri: `http://127.0.0.1:${port}/`, requestPolicyFactories: [policy] } as any);
  const t = Date.now();
  try { await client.conversations.sendToConversation('c1', { type: 'message', text: 'x' } as any); } catch (e: any) { console.log('err', e.name, e.code, e.message, Date.now() - t); }
  server.closeAllConnections(); server.close();
})();
