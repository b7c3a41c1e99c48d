/**
 * Commands are recognised when the whole message is the command (politely wrapped or with a slip of the
 * keyboard), and never when a question merely mentions the same words.
 */
import { COMMANDS, parseCommand, parseCommandDetail } from '../../src/core/commands';

const cases: Array<[string, string | null]> = [
  ['my records', 'my_records'],
  ['My Records', 'my_records'],
  ['show me my records please', 'my_records'],
  ['can i see my entries', 'my_records'],
  ['my recrods', 'my_records'],
  ["my team's records", 'team_records'],
  ['my teams records', 'team_records'],
  ['team records', 'team_records'],
  ['report an incident', 'report_incident'],
  ['I want to report an incident', 'report_incident'],
  ['report incident', 'report_incident'],
  ['open incidents', 'open_incidents'],
  ['set as managers channel', 'set_managers_channel'],
  ["set as managers' channel", 'set_managers_channel'],
  ['photo decision', 'photo_decision'],
  ['log consent', 'log_consent'],
  ['my consent log', 'my_consent_log'],
  ['failed messages', 'failed_messages'],
  ['team consent log LCS-123456', 'team_consent_log'],
  ['my consent log LCS-123456', null],
  ['team consent log', 'team_consent_log'],
  ["my team's consent log", 'team_consent_log'],
  // Questions and near misses are not commands.
  ['how long do we keep records?', null],
  ['records', null],
  ['my records are wrong what do i do', null],
  ['should i report an incident if someone tags me', null],
  ['can i take a photo of a bruise', null],
  ['my', null],
  ['', null],
  ['x'.repeat(500), null],
];

describe('parseCommand', () => {
  it.each(cases)('%j → %s', (text, expected) => {
    expect(parseCommand(text)).toBe(expected);
  });

  it("every command's own title is recognised as that command", () => {
    for (const c of COMMANDS) expect(parseCommand(c.title)).toBe(c.name);
  });
});

describe('parseCommandDetail', () => {
  it.each<[string, ReturnType<typeof parseCommandDetail>]>([
    ['team consent log', { name: 'team_consent_log' }],
    ['team consent log LCS-123456', { name: 'team_consent_log', caseRef: 'LCS-123456' }],
    ['team consent log for case lcs-123456', { name: 'team_consent_log', caseRef: 'lcs-123456' }],
    ['show me the team consent log LCS-123456 please', null], // politeness around an argument is not guessed at
    ['my consent log', { name: 'my_consent_log' }],
    // Only commands that take a case reference take one; a question is still not a command.
    ['my consent log LCS-123456', null],
    ['my records LCS-123456', null],
    ['team consent log Jones', null],
    ['what is a consent log for case 12', null],
  ])('%j → %j', (text, expected) => {
    expect(parseCommandDetail(text)).toEqual(expected);
  });
});
