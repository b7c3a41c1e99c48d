/**
 * Settings, parsed once at start-up with a schema. A bad value stops the start with a message that names the
 * variable and says what is wrong. Nothing else in the code reads process.env.
 */
import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { z } from 'zod';
import { RECORD_KIND_NAMES, type RecordKind } from './core/records/kinds';
import { ConfigError } from './errors';

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().trim().optional());
const csv = z.preprocess(
  (v) =>
    typeof v === 'string'
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : v,
  z.array(z.string()).default([]),
);
const guid = z
  .string()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    'must be a GUID like 00000000-0000-0000-0000-000000000000',
  );

/** A UK phone number as people write it: digits, spaces, brackets, dashes and a leading +. */
const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 ()-]{4,28}[0-9]$/, 'must be a phone number, for example 0151 443 2600');

const EnvSchema = z
  .object({
    NODE_ENV: z.preprocess(emptyToUndefined, z.enum(['development', 'test', 'production']).default('development')),
    PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3978)), // 0 = any free port
    HOST: optionalString,
    MicrosoftAppId: z.preprocess(emptyToUndefined, guid.optional()),
    MicrosoftAppPassword: optionalString,
    MicrosoftAppType: z.preprocess(
      emptyToUndefined,
      z.enum(['SingleTenant', 'UserAssignedMSI']).default('SingleTenant'),
    ),
    MicrosoftAppTenantId: z.preprocess(emptyToUndefined, guid.optional()),
    ALLOWED_TENANT_IDS: csv.pipe(z.array(guid)),
    DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
    DATABASE_URL: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// (leave it empty to use the SQLite file in DATA_DIR)')
        .optional(),
    ),
    /** PostgreSQL schema for KeepSafe's tables (default: the server's search_path, usually public). */
    DATABASE_SCHEMA: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a plain lower-case PostgreSQL schema name')
        .optional(),
    ),
    CASE_REF_PATTERN: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .refine((p) => {
          try {
            new RegExp(p);
            return true;
          } catch {
            return false;
          }
        }, 'must be a valid regular expression')
        .optional(),
    ),
    CONTENT_DIR: z.preprocess(emptyToUndefined, z.string().default('./content')),
    LOG_LEVEL: z.preprocess(
      emptyToUndefined,
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ),
    MAX_BODY_BYTES: z.preprocess(
      emptyToUndefined,
      z.coerce
        .number()
        .int()
        .min(1024)
        .max(4 * 1024 * 1024)
        .default(262144),
    ),
    /** Managers by Teams (Entra ID) AAD object id, in addition to members of the managers' team. */
    MANAGER_AAD_IDS: csv.pipe(z.array(guid)),
    /** Who may choose the managers' channel from Teams ("set as managers channel"), besides managers' team members. */
    ADMIN_AAD_IDS: csv.pipe(z.array(guid)),
    /** The managers' channel fixed in configuration (both, or neither: then a manager sets it from Teams). */
    MANAGERS_TEAM_ID: optionalString,
    MANAGERS_CHANNEL_ID: optionalString,
    /** Told in a 1:1 chat when an urgent incident is still unacknowledged after the channel reminder. */
    DUTY_MANAGER_AAD_ID: z.preprocess(emptyToUndefined, guid.optional()),
    /** Minutes an urgent incident may wait for an acknowledgement before the channel is reminded. */
    URGENT_ACK_MINUTES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(1440).default(15)),
    /** How often the delivery worker looks for queued proactive messages (it is also woken after each write). */
    DELIVERY_POLL_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(20).max(60_000).default(2000)),
    /** Tries before a proactive message is marked failed (shown by "failed messages"). */
    DELIVERY_MAX_ATTEMPTS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(100).default(8)),
    /** First retry delay; doubles each try (full jitter, capped at 5 minutes); Retry-After wins when longer. */
    DELIVERY_RETRY_BASE_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(10).max(60_000).default(1000)),
    /** The emergency duty team's phone number, shown on the immediate-danger card (a placeholder says when unset). */
    EMERGENCY_DUTY_TEAM_PHONE: z.preprocess(emptyToUndefined, phone.optional()),
    /** The referral route on the walkthrough's "refer your concerns" step: the team, its phone and a link. */
    REFERRAL_TEAM: z.preprocess(emptyToUndefined, z.string().trim().max(120).optional()),
    REFERRAL_PHONE: z.preprocess(emptyToUndefined, phone.optional()),
    REFERRAL_URL: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .url()
        .regex(/^https:\/\//, 'must be an https:// link')
        .optional(),
    ),
    /** Longest wait for any one call to the Bot Connector (a reply, a proactive message); then it counts as failed. */
    CONNECTOR_TIMEOUT_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().min(0.1).max(14).default(5)),
    /** How many conversations the delivery worker sends to at once (each conversation's messages stay in order). */
    DELIVERY_CONCURRENCY: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(64).default(8)),
    /** How long a timed-out proactive POST stays open so a late answer is recorded (0: off). */
    DELIVERY_LATE_ANSWER_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().min(0).max(120).default(30)),
    /** On SIGTERM/SIGINT: how long requests in flight and sends under way get before the process closes them and exits 0. */
    SHUTDOWN_DEADLINE_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().min(0.1).max(10).default(8)),
    /** Advanced: OpenID metadata for inbound tokens (sovereign clouds, or a test key set on loopback). */
    BOT_OPENID_METADATA_URL: z.preprocess(emptyToUndefined, z.string().url().optional()),
  })
  .superRefine((env, ctx) => {
    const hasCredentials = Boolean(env.MicrosoftAppId);
    if (!hasCredentials && env.NODE_ENV === 'production') {
      ctx.addIssue({
        code: 'custom',
        path: ['MicrosoftAppId'],
        message: 'is required when NODE_ENV=production (without it the bot would accept unauthenticated requests)',
      });
    }
    if (hasCredentials && !env.MicrosoftAppTenantId) {
      ctx.addIssue({
        code: 'custom',
        path: ['MicrosoftAppTenantId'],
        message: `is required when MicrosoftAppId is set (MicrosoftAppType=${env.MicrosoftAppType})`,
      });
    }
    if (hasCredentials && env.MicrosoftAppType === 'SingleTenant' && !env.MicrosoftAppPassword) {
      ctx.addIssue({
        code: 'custom',
        path: ['MicrosoftAppPassword'],
        message: 'is required when MicrosoftAppType=SingleTenant (use UserAssignedMSI for a managed identity)',
      });
    }
    if (!hasCredentials && env.MicrosoftAppPassword) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppId'], message: 'is empty but MicrosoftAppPassword is set' });
    }
    if (Boolean(env.MANAGERS_TEAM_ID) !== Boolean(env.MANAGERS_CHANNEL_ID)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.MANAGERS_TEAM_ID ? 'MANAGERS_CHANNEL_ID' : 'MANAGERS_TEAM_ID'],
        message:
          'must be set together with ' +
          (env.MANAGERS_TEAM_ID ? 'MANAGERS_TEAM_ID' : 'MANAGERS_CHANNEL_ID') +
          ' (or leave both empty and set the channel from Teams)',
      });
    }
    if (!hasCredentials && env.HOST && !['127.0.0.1', 'localhost', '::1'].includes(env.HOST)) {
      ctx.addIssue({
        code: 'custom',
        path: ['HOST'],
        message:
          'must be loopback (127.0.0.1) in local mode: without MicrosoftAppId there is no request authentication',
      });
    }
  });

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  nodeEnv: Env['NODE_ENV'];
  port: number;
  host: string;
  /** True when no MicrosoftAppId is set: no Bot Framework auth, loopback only. */
  localMode: boolean;
  bot: {
    appId: string;
    appPassword: string;
    appType: Env['MicrosoftAppType'];
    tenantId: string;
    openIdMetadataUrl?: string;
  };
  /** Tenants whose activities are handled. Empty only in local mode, where any tenant is accepted. */
  allowedTenantIds: string[];
  dataDir: string;
  databaseUrl?: string;
  databaseSchema?: string;
  caseRefPattern?: string;
  contentDir: string;
  logLevel: Env['LOG_LEVEL'];
  maxBodyBytes: number;
  deliveryPollMs: number;
  deliveryMaxAttempts: number;
  deliveryRetryBaseMs: number;
  deliveryConcurrency: number;
  /** 0: off. Otherwise how long a timed-out proactive POST stays open for a late answer to be recorded. */
  deliveryLateAnswerMs: number;
  /** Timeout of every outbound Bot Connector call, in milliseconds. */
  connectorTimeoutMs: number;
  /** Shutdown deadline, in milliseconds. */
  shutdownDeadlineMs: number;
  managers: {
    /** Lower-case AAD object ids of configured managers. */
    aadObjectIds: string[];
    /** Lower-case AAD object ids allowed to set the managers' channel. */
    adminAadObjectIds: string[];
    /** The managers' channel from configuration, if fixed there. */
    channel?: { teamId: string; channelId: string };
    dutyManagerAadObjectId?: string;
    urgentAckMinutes: number;
  };
  /** The council's safety contacts shown on the walkthrough's cards (unset ones are said plainly there). */
  safety: {
    emergencyDutyTeamPhone?: string;
    referral: { team?: string; phone?: string; url?: string };
  };
  /** Retention period per record kind, in days, from RETENTION_DAYS_<KIND> (defaults in core/records/kinds.ts). */
  retentionDays: Partial<Record<RecordKind, number>>;
}

/** RETENTION_DAYS_ADVICE_REQUEST=2555 and so on; any other RETENTION_DAYS_* name is a mistake worth stopping for. */
function parseRetention(env: NodeJS.ProcessEnv): Partial<Record<RecordKind, number>> {
  const out: Partial<Record<RecordKind, number>> = {};
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('RETENTION_DAYS_') || raw === undefined || raw.trim() === '') continue;
    const kind = name.slice('RETENTION_DAYS_'.length).toLowerCase();
    if (!(RECORD_KIND_NAMES as string[]).includes(kind)) {
      throw new ConfigError(
        name,
        `is not a record kind; use one of ${RECORD_KIND_NAMES.map((k) => `RETENTION_DAYS_${k.toUpperCase()}`).join(', ')}`,
      );
    }
    const days = Number(raw);
    if (!Number.isInteger(days) || days < 1 || days > 36500)
      throw new ConfigError(name, 'must be a whole number of days between 1 and 36500');
    out[kind as RecordKind] = days;
  }
  return out;
}

/** Loads `env/.env.<KEEPSAFE_ENV>` (default `local`) into process.env without overriding what is already set. */
export function loadEnvFile(root = process.cwd(), env: NodeJS.ProcessEnv = process.env): string | undefined {
  const name = env.KEEPSAFE_ENV?.trim() || 'local';
  if (!/^[a-z0-9_-]+$/i.test(name)) throw new ConfigError('KEEPSAFE_ENV', 'may only contain letters, digits, - and _');
  const file = path.join(root, 'env', `.env.${name}`);
  if (!fs.existsSync(file)) return undefined;
  dotenv.config({ path: file, quiet: true, processEnv: env as dotenv.DotenvPopulateInput });
  return file;
}

/** Parses settings from an environment. Throws ConfigError naming the first bad variable. */
export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const result = EnvSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = String(issue.path[0] ?? 'environment');
    throw new ConfigError(variable, issue.message, result.error.issues.length - 1);
  }
  const e = result.data;
  const localMode = !e.MicrosoftAppId;
  const allowed =
    e.ALLOWED_TENANT_IDS.length > 0 ? e.ALLOWED_TENANT_IDS : e.MicrosoftAppTenantId ? [e.MicrosoftAppTenantId] : [];
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: localMode ? (e.HOST === 'localhost' || !e.HOST ? '127.0.0.1' : e.HOST) : (e.HOST ?? '0.0.0.0'),
    localMode,
    bot: {
      appId: e.MicrosoftAppId ?? '',
      appPassword: e.MicrosoftAppPassword ?? '',
      appType: e.MicrosoftAppType,
      tenantId: e.MicrosoftAppTenantId ?? '',
      openIdMetadataUrl: e.BOT_OPENID_METADATA_URL,
    },
    allowedTenantIds: allowed.map((t) => t.toLowerCase()),
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    databaseSchema: e.DATABASE_SCHEMA,
    caseRefPattern: e.CASE_REF_PATTERN,
    contentDir: path.resolve(e.CONTENT_DIR),
    logLevel: e.LOG_LEVEL,
    maxBodyBytes: e.MAX_BODY_BYTES,
    retentionDays: parseRetention(env),
    safety: {
      emergencyDutyTeamPhone: e.EMERGENCY_DUTY_TEAM_PHONE,
      referral: { team: e.REFERRAL_TEAM, phone: e.REFERRAL_PHONE, url: e.REFERRAL_URL },
    },
    deliveryPollMs: e.DELIVERY_POLL_MS,
    deliveryMaxAttempts: e.DELIVERY_MAX_ATTEMPTS,
    deliveryRetryBaseMs: e.DELIVERY_RETRY_BASE_MS,
    deliveryConcurrency: e.DELIVERY_CONCURRENCY,
    deliveryLateAnswerMs: Math.round(e.DELIVERY_LATE_ANSWER_SECONDS * 1000),
    connectorTimeoutMs: Math.round(e.CONNECTOR_TIMEOUT_SECONDS * 1000),
    shutdownDeadlineMs: Math.round(e.SHUTDOWN_DEADLINE_SECONDS * 1000),
    managers: {
      aadObjectIds: e.MANAGER_AAD_IDS.map((id) => id.toLowerCase()),
      adminAadObjectIds: e.ADMIN_AAD_IDS.map((id) => id.toLowerCase()),
      channel:
        e.MANAGERS_TEAM_ID && e.MANAGERS_CHANNEL_ID
          ? { teamId: e.MANAGERS_TEAM_ID, channelId: e.MANAGERS_CHANNEL_ID }
          : undefined,
      dutyManagerAadObjectId: e.DUTY_MANAGER_AAD_ID?.toLowerCase(),
      urgentAckMinutes: e.URGENT_ACK_MINUTES,
    },
  };
}
