import { startBot } from '../tests/helpers/bot';
import { FakeConnector } from '../tests/helpers/connector';
import { message } from '../tests/helpers/activities';
(async () => {
  const c = await new FakeConnector().start();
  c.responder = () => ({ hang: true });
  const bot = await startBot({ CONNECTOR_TIMEOUT_SECONDS: '1' });
  const t = Date.now(); setInterval(() => console.log(Date.now()-t, c.calls.length, bot.logLines.slice(-3).map(l=>l.slice(0,300))), 2000).unref();
  const r = await bot.post(message('help', { serviceUrl: c.url }));
  console.log(r.status, Date.now() - t, c.calls.length);
  console.log(bot.logLines.filter(l => /turn|timeout|fail/i.test(l)).map(l => l.slice(0, 600)).join('\n'));
  const t2 = Date.now();
  await bot.stop(); console.log('stopped', Date.now() - t2); await c.stop();
})();
