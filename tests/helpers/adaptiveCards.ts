/**
 * The checks every card test makes against the official Adaptive Cards 1.5 schema (tests/schemas, or
 * KEEPSAFE_CARD_SCHEMA) and the Adaptive Cards SDK's own parser, in one place.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js');

/** Teams refuses a message over about 28 KB. */
export const TEAMS_MESSAGE_LIMIT = 28 * 1024;

const SCHEMA_FILE = process.env.KEEPSAFE_CARD_SCHEMA ?? path.resolve(__dirname, '../schemas/adaptive-card-1.5.json');
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addMetaSchema(draft06);
addFormats(ajv);
// The official file names its URI with draft-04's "id"; ajv 8 wants "$id" (the only change made to it).
const { id: schemaUri, ...schemaBody } = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'));
const validate = ajv.compile({ $id: schemaUri, ...schemaBody });

/** What the official 1.5 schema says is wrong with the card ('' when valid). */
export function schemaErrors(card: object): string {
  return validate(structuredClone(card)) ? '' : ajv.errorsText(validate.errors);
}

/** The Adaptive Cards SDK's parse warnings and errors for the card (none for a card it fully understands). */
export function sdkParseErrors(card: object): string[] {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card, context);
  const errors: string[] = [];
  for (let i = 0; i < context.eventCount; i++) errors.push(`${context.getEventAt(i).message}`);
  return errors;
}
