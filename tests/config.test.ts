import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadEnvFile, parseConfig } from '../src/config';
import { ConfigError } from '../src/errors';

const APP_ID = '11111111-2222-3333-4444-555555555555';
const TENANT = '6babcaad-604b-40ac-a9d7-9fd97c0b779f';

function expectConfigError(env: NodeJS.ProcessEnv, variable: string, fragment: RegExp) {
  try {
    parseConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).variable).toBe(variable);
    expect((err as Error).message).toContain(variable);
    expect((err as Error).message).toMatch(fragment);
    return;
  }
  throw new Error(`expected ${variable} to be refused`);
}

describe('settings', () => {
  it('defaults to local mode on loopback, port 3978, SQLite under ./data', () => {
    const config = parseConfig({});
    expect(config.localMode).toBe(true);
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(3978);
    expect(config.dataDir).toBe(path.resolve('data'));
    expect(config.databaseUrl).toBeUndefined();
    expect(config.allowedTenantIds).toEqual([]);
  });

  it('refuses to bind a public interface in local mode', () => {
    expectConfigError({ HOST: '0.0.0.0' }, 'HOST', /loopback/);
  });

  it('refuses to start in production without credentials', () => {
    expectConfigError({ NODE_ENV: 'production' }, 'MicrosoftAppId', /required when NODE_ENV=production/);
  });

  it('needs a tenant id with credentials, and a password for SingleTenant', () => {
    expectConfigError({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x' }, 'MicrosoftAppTenantId', /required/);
    expectConfigError({ MicrosoftAppId: APP_ID, MicrosoftAppTenantId: TENANT }, 'MicrosoftAppPassword', /SingleTenant/);
  });

  it('accepts a managed identity without a password and limits tenants to its own by default', () => {
    const config = parseConfig({
      MicrosoftAppId: APP_ID,
      MicrosoftAppType: 'UserAssignedMSI',
      MicrosoftAppTenantId: TENANT,
    });
    expect(config.localMode).toBe(false);
    expect(config.host).toBe('0.0.0.0');
    expect(config.allowedTenantIds).toEqual([TENANT]);
  });

  it('takes the emergency duty team number and the referral route (issue 13), and names a bad one', () => {
    expect(parseConfig({}).safety).toEqual({
      emergencyDutyTeamPhone: undefined,
      referral: { team: undefined, phone: undefined, url: undefined },
    });
    const c = parseConfig({
      EMERGENCY_DUTY_TEAM_PHONE: '0151 443 2600',
      REFERRAL_TEAM: "Children's front door",
      REFERRAL_PHONE: '0151 443 4031',
      REFERRAL_URL: 'https://www.knowsley.gov.uk/refer',
    });
    expect(c.safety).toEqual({
      emergencyDutyTeamPhone: '0151 443 2600',
      referral: { team: "Children's front door", phone: '0151 443 4031', url: 'https://www.knowsley.gov.uk/refer' },
    });
    expectConfigError({ EMERGENCY_DUTY_TEAM_PHONE: 'ring the office' }, 'EMERGENCY_DUTY_TEAM_PHONE', /phone number/);
    expectConfigError({ REFERRAL_URL: 'http://example.org/refer' }, 'REFERRAL_URL', /https/);
  });

  it('names the variable when a value is malformed', () => {
    expectConfigError({ PORT: 'eighty' }, 'PORT', /number/i);
    expectConfigError({ PORT: '70000' }, 'PORT', /65535/);
    expectConfigError({ MicrosoftAppId: 'not-a-guid' }, 'MicrosoftAppId', /GUID/);
    expectConfigError({ MicrosoftAppType: 'MultiTenant' }, 'MicrosoftAppType', /SingleTenant|UserAssignedMSI/);
    expectConfigError({ ALLOWED_TENANT_IDS: `${TENANT},contoso` }, 'ALLOWED_TENANT_IDS', /GUID/);
    expectConfigError({ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL', /postgres/);
    expectConfigError({ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', /info/);
  });

  it("connector timeout, shutdown deadline and delivery concurrency: defaults inside Teams' budgets, bounds enforced", () => {
    const c = parseConfig({});
    expect(c.connectorTimeoutMs).toBe(5000);
    expect(c.shutdownDeadlineMs).toBe(8000);
    expect(c.deliveryConcurrency).toBe(8);
    expect(parseConfig({ CONNECTOR_TIMEOUT_SECONDS: '2.5', SHUTDOWN_DEADLINE_SECONDS: '3' })).toMatchObject({
      connectorTimeoutMs: 2500,
      shutdownDeadlineMs: 3000,
    });
    expectConfigError({ CONNECTOR_TIMEOUT_SECONDS: '15' }, 'CONNECTOR_TIMEOUT_SECONDS', /14/);
    expectConfigError({ SHUTDOWN_DEADLINE_SECONDS: '30' }, 'SHUTDOWN_DEADLINE_SECONDS', /10/);
    expectConfigError({ DELIVERY_CONCURRENCY: '0' }, 'DELIVERY_CONCURRENCY', /1/);
    expect(parseConfig({}).deliveryLateAnswerMs).toBe(30_000); // on by default
    expect(parseConfig({ DELIVERY_LATE_ANSWER_SECONDS: '0' }).deliveryLateAnswerMs).toBe(0); // off
    expect(parseConfig({ DELIVERY_LATE_ANSWER_SECONDS: '30' }).deliveryLateAnswerMs).toBe(30_000);
    expectConfigError({ DELIVERY_LATE_ANSWER_SECONDS: '600' }, 'DELIVERY_LATE_ANSWER_SECONDS', /120/);
  });

  it('treats empty values as unset, as .env files write them', () => {
    const config = parseConfig({ MicrosoftAppId: '', MicrosoftAppPassword: '', PORT: '', DATABASE_URL: '' });
    expect(config.localMode).toBe(true);
    expect(config.port).toBe(3978);
  });

  it('loads env/.env.<KEEPSAFE_ENV> without overriding variables already set', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-env-'));
    fs.mkdirSync(path.join(root, 'env'));
    fs.writeFileSync(path.join(root, 'env', '.env.local'), 'PORT=4100\nLOG_LEVEL=debug\n');
    const env: NodeJS.ProcessEnv = { LOG_LEVEL: 'warn' };
    expect(loadEnvFile(root, env)).toBe(path.join(root, 'env', '.env.local'));
    expect(env.PORT).toBe('4100');
    expect(env.LOG_LEVEL).toBe('warn');
    expect(loadEnvFile(root, { KEEPSAFE_ENV: 'dev' })).toBeUndefined();
    expect(() => loadEnvFile(root, { KEEPSAFE_ENV: '../etc' })).toThrow(/KEEPSAFE_ENV/);
  });
});
