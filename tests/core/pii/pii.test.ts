/**
 * The personal-identifier check (src/core/pii): what is found in staff free text, what is left alone, how
 * findings are described on a card and masked for logs. Every case states the exact types and spans.
 */
import {
  describeFindings,
  findIdentifiers,
  isValidNhsNumber,
  maskIdentifiers,
  type Finding,
  type IdentifierType,
} from '../../../src/core/pii';

/** A fixed "today" so the 0–110 years rule for dates of birth does not drift. */
const NOW = new Date('2026-01-15T12:00:00Z');
const find = (text: string): Finding[] => findIdentifiers(text, { now: NOW });

type Expected = [IdentifierType, string];

/** Expected spans: each expected text is looked up in order, after the previous one, so spans are exact. */
function spansOf(text: string, expected: Expected[]): Array<[IdentifierType, number, number, string]> {
  let from = 0;
  return expected.map(([type, match]) => {
    const start = text.indexOf(match, from);
    if (start < 0) throw new Error(`test table error: "${match}" is not in "${text}"`);
    from = start + match.length;
    return [type, start, start + match.length, match];
  });
}

const FOUND: Array<[string, Expected[]]> = [
  // the brief's own examples
  [
    "Mrs Patel's son posted my address 14 Elm Grove, Leeds LS6 2AB on facebook",
    [
      ['name', 'Mrs Patel'],
      ['address', '14 Elm Grove'],
      ['postcode', 'LS6 2AB'],
    ],
  ],
  ['ring me on 07700 900 123', [['phone', '07700 900 123']]],
  ['NHS no 943 476 5919', [['nhs_number', '943 476 5919']]],
  ['dob 03/04/2011', [['date_of_birth', '03/04/2011']]],
  // names with titles
  ['Mrs J Smith rang the office twice', [['name', 'Mrs J Smith']]],
  ["Mr O'Neill came to the door", [['name', "Mr O'Neill"]]],
  ['Ms Smith-Jones asked for my number', [['name', 'Ms Smith-Jones']]],
  ['spoke to Dr. Ahmed at the surgery', [['name', 'Dr. Ahmed']]],
  ['Miss Khan sent a friend request', [['name', 'Miss Khan']]],
  ['Mx Taylor said they would complain', [['name', 'Mx Taylor']]],
  ['Master Tyler Brown is on the child protection plan', [['name', 'Master Tyler Brown']]],
  ['the foster carer Mrs Jane Smith messaged me', [['name', 'Mrs Jane Smith']]],
  ['mr and mrs jones were both there', [['name', 'mrs jones']]],
  ['MRS PATEL WAS SHOUTING', [['name', 'MRS PATEL']]],
  ['Sir Keir visited the home', [['name', 'Sir Keir']]],
  ['my manager Mrs McDonald said to wait', [['name', 'Mrs McDonald']]],
  ['Mrs Jones Monday morning', [['name', 'Mrs Jones']]],
  ['Mr. J.R. Hartley', [['name', 'Mr. J.R. Hartley']]],
  // issue 12: names without titles
  ['Rose said she was scared to go home', [['name', 'Rose']]],
  ['a man called dylan gives him vapes', [['name', 'dylan']]],
  ['spoke to jade on the phone', [['name', 'jade']]],
  ['aunty Shelley is caring for both kids', [['name', 'Shelley']]],
  ['mum (Stacey) consented verbally', [['name', 'Stacey']]],
  ['will called back about the visit', [['name', 'will']]],
  ["Hope's mum is happy for the visit", [['name', 'Hope']]],
  [
    'kids are Jayden and Tia-Mae, both known to YOT',
    [
      ['name', 'Jayden'],
      ['name', 'Tia-Mae'],
    ],
  ],
  ['the older brother goes by T-Bone on the estate', [['name', 'T-Bone']]],
  ['yp (JB) disclosed he was carrying a knife', [['name', 'JB']]],
  ['cc Lisa Brennan and the school', [['name', 'Lisa Brennan']]],
  ['partner Jamal Ahmed-Clarke was at the flat', [['name', 'Jamal Ahmed-Clarke']]],
  ['a woman called Tracey Ann Lowe posted it', [['name', 'Tracey Ann Lowe']]],
  ['J. Smith (neighbour) called the police', [['name', 'J. Smith']]],
  [
    'Tyler disclosed it at school. tyler is on a CP plan',
    [
      ['name', 'Tyler'],
      ['name', 'tyler'],
    ],
  ],
  ['the girl ruby was crying', [['name', 'ruby']]],
  [
    'seen: Lily, Jack, Mason',
    [
      ['name', 'Lily'],
      ['name', 'Jack'],
      ['name', 'Mason'],
    ],
  ],
  [
    'kids: ruby 7, jack 5',
    [
      ['name', 'ruby'],
      ['name', 'jack'],
    ],
  ],
  ["will's mum rang", [['name', 'will']]],
  ['teacher says kayden has come in hungry', [['name', 'kayden']]],
  ['the baby, Maya, has a bruise', [['name', 'Maya']]],
  ['Summer has not been in school', [['name', 'Summer']]],
  [
    'she goes by Tink, real name Tinkerbell Evans',
    [
      ['name', 'Tink'],
      ['name', 'Tinkerbell Evans'],
    ],
  ],
  [
    'was out with Kezza and Dazza till late',
    [
      ['name', 'Kezza'],
      ['name', 'Dazza'],
    ],
  ],
  ['JJ said his dad hit him', [['name', 'JJ']]],
  ['Bex texted me at 2am', [['name', 'Bex']]],
  // lower-case titles, O'-surnames, ranks
  ["ms o'brien from school rang", [['name', "ms o'brien"]]],
  ['miss hennessy the form tutor', [['name', 'miss hennessy']]],
  ["mrs o'neill said nobody came", [['name', "mrs o'neill"]]],
  [
    'PC Daniels attended with DS Kirsty Nolan',
    [
      ['name', 'PC Daniels'],
      ['name', 'DS Kirsty Nolan'],
    ],
  ],
  ['Sgt Hughes advised we go back', [['name', 'Sgt Hughes']]],
  ['DC Morgan is leading', [['name', 'DC Morgan']]],
  ["sgt o'neill said they would check", [['name', "sgt o'neill"]]],
  ['PS Jones called', [['name', 'PS Jones']]],
  ['twins b.12/3/15', [['date_of_birth', '12/3/15']]],
  // social media usernames
  ['posting on tiktok (@riv.ersxd) most nights', [['handle', '@riv.ersxd']]],
  ['his snap is jj_dunny99', [['handle', 'jj_dunny99']]],
  ['snap: mollyxo_2010. thats the account', [['handle', 'mollyxo_2010']]],
  ['his tiktok is on there as big.d.official', [['handle', 'big.d.official']]],
  ['her insta is jadeyb and it is public', [['handle', 'jadeyb']]],
  ['his fb name is Connor Lyons Official', [['handle', 'Connor Lyons Official']]],
  ['bf is on insta as chaz_lfc_', [['handle', 'chaz_lfc_']]],
  // b., dobs lists, streets starting The
  [
    'Jayden (b. 4.5.09) is at home',
    [
      ['name', 'Jayden'],
      ['date_of_birth', '4.5.09'],
    ],
  ],
  [
    'dobs for the 3 kids: 01/02/2016, 14/09/2018 and 30/11/2020',
    [
      ['date_of_birth', '01/02/2016'],
      ['date_of_birth', '14/09/2018'],
      ['date_of_birth', '30/11/2020'],
    ],
  ],
  ['flat 3, 22 the crescent, Prescot', [['address', 'flat 3, 22 the crescent']]],
  ['they live at 12 The Avenue', [['address', '12 The Avenue']]],
  ['lives at 14 The Brambles with nan', [['address', '14 The Brambles']]],
  // phone numbers
  ['her mum texted from 07700900123 last night', [['phone', '07700900123']]],
  [
    'call 0113 496 0000 or +44 (0)20 7946 0958',
    [
      ['phone', '0113 496 0000'],
      ['phone', '+44 (0)20 7946 0958'],
    ],
  ],
  ['dad is on (0113) 4960000', [['phone', '(0113) 4960000']]],
  ['tel: 07700-900-123', [['phone', '07700-900-123']]],
  ['WhatsApp +447700900456 is the number he used', [['phone', '+447700900456']]],
  ['her nan rang from 0044 7700 900 789', [['phone', '0044 7700 900 789']]],
  [
    'landline 01632 960 001, mobile 07700 900 222',
    [
      ['phone', '01632 960 001'],
      ['phone', '07700 900 222'],
    ],
  ],
  ['the school office is 020 7946 0000 ext 23', [['phone', '020 7946 0000 ext 23']]],
  // email addresses
  ['he emailed me from jay.smith1987@gmail.com', [['email', 'jay.smith1987@gmail.com']]],
  ['send it to J_Bloggs+kids@hotmail.co.uk.', [['email', 'J_Bloggs+kids@hotmail.co.uk']]],
  ["(sarah.o'neill@nhs.net)", [['email', "sarah.o'neill@nhs.net"]]],
  ['mailto:foster.carer@example.org please', [['email', 'foster.carer@example.org']]],
  // postcodes
  ['she moved to M1 1AE last week', [['postcode', 'M1 1AE']]],
  ['new postcode is ls62ab', [['postcode', 'ls62ab']]],
  ['lives near SW1A 1AA', [['postcode', 'SW1A 1AA']]],
  ['B33 8TH, the grandparents', [['postcode', 'B33 8TH']]],
  [
    'EC1A 1BB and W1A 0AX',
    [
      ['postcode', 'EC1A 1BB'],
      ['postcode', 'W1A 0AX'],
    ],
  ],
  ['cr2 6xh is where the dad lives', [['postcode', 'cr2 6xh']]],
  ['DN55 1PT', [['postcode', 'DN55 1PT']]],
  // street addresses
  ['Flat 3, 12 High Street', [['address', 'Flat 3, 12 High Street']]],
  ['lives at 22 Acacia Avenue with her aunt', [['address', '22 Acacia Avenue']]],
  ["the party was at 5a St Mary's Rd", [['address', "5a St Mary's Rd"]]],
  ['he is staying at 14 elm grove', [['address', '14 elm grove']]],
  [
    'moved to 7 Oak Close, Bradford BD7 1DP',
    [
      ['address', '7 Oak Close'],
      ['postcode', 'BD7 1DP'],
    ],
  ],
  ['at 9 Oak Dr Leeds', [['address', '9 Oak Dr']]],
  ['apartment 2, 40 Canal Wharf', [['address', 'apartment 2, 40 Canal Wharf']]],
  ['12-14 Victoria Terrace', [['address', '12-14 Victoria Terrace']]],
  // NHS numbers (check digit valid)
  ['NHS number 4010232137', [['nhs_number', '4010232137']]],
  ['nhs: 450-557-7104', [['nhs_number', '450-557-7104']]],
  ['her NHS no is 600 000 0030', [['nhs_number', '600 000 0030']]],
  // dates of birth
  ['d.o.b: 3.4.11', [['date_of_birth', '3.4.11']]],
  [
    'DOB 14/05/2009, NHS 401 023 2137',
    [
      ['date_of_birth', '14/05/2009'],
      ['nhs_number', '401 023 2137'],
    ],
  ],
  ['date of birth 2011-04-03', [['date_of_birth', '2011-04-03']]],
  ['date of birth was given as 03-04-2011', [['date_of_birth', '03-04-2011']]],
  ['born on the 3rd of April 2011', [['date_of_birth', '3rd of April 2011']]],
  ['she was born in Bradford on 3rd April 2011', [['date_of_birth', '3rd April 2011']]],
  ['03/04/2011 (DOB)', [['date_of_birth', '03/04/2011']]],
  ['aged 14 (born 3 April 2011)', [['date_of_birth', '3 April 2011']]],
  ['DoB:29/02/2012', [['date_of_birth', '29/02/2012']]],
  ['dob 3rd of April', [['date_of_birth', '3rd of April']]],
  ['Gran was born in Leeds on 03/04/1920', [['date_of_birth', '03/04/1920']]],
  // several at once, in realistic reports
  [
    "Mr O'Neill (dob 12/07/1984) rang me on 07700 900 555 and said he knows I live at 3 Park Lane",
    [
      ['name', "Mr O'Neill"],
      ['date_of_birth', '12/07/1984'],
      ['phone', '07700 900 555'],
      ['address', '3 Park Lane'],
    ],
  ],
  [
    'Child: NHS 943 476 5919, d.o.b. 01/09/2015, mum Ms Clarke, email clarke.k@outlook.com',
    [
      ['nhs_number', '943 476 5919'],
      ['date_of_birth', '01/09/2015'],
      ['name', 'Ms Clarke'],
      ['email', 'clarke.k@outlook.com'],
    ],
  ],
];

const NOT_FOUND: string[] = [
  'Section 2.3.2 says to ask your manager first',
  'the visit ended at 17:30',
  'she asked to borrow £120',
  'case reference LCS-104233',
  'see CR/2024/00123 on the system',
  'the number 1234567890 failed the check',
  'NHS no 943 476 5918 (typo, check digit wrong)',
  'Mark the site on the body map',
  'Will you check the guidance?',
  'May I photograph the bruise?',
  'a mum on my caseload added me on Facebook and TikTok',
  'I told my manager straight away',
  'we were driving on the A6 when it happened',
  'they moved here in 2019',
  'the boy is aged 14',
  'got a Flat white on the way',
  'the visit was on 12/03/2025',
  'the visit was on 12/03/2025 and her DOB is on file',
  'born in 2011. We visited on 12/03/2025',
  'walked 3 miles down the road',
  'there were 2 kids in the car',
  'yes sir, will do',
  'Dr Who is on the telly',
  'I put it on MS Teams',
  'on the M62 5th junction',
  'she paid £12 a week',
  'the 10:15 Park Road bus was late',
  'version 4.10.2 of the app',
  'between 9 and 5 on weekdays',
  'ref 123 456 7890 on the form',
  'Gran was born on a farm, and on 03/04/1900 the farm was sold',
  'the order ran from 01/02/2024 to 01/03/2024',
  'my email is on the intranet @ the usual place',
  // issue 12: names that are ordinary words, used as words
  'nan has a rose bush in the garden',
  'hope she is ok, she looked low today',
  'river was high so they walked another way',
  'had a frank discussion with dad about his drinking',
  'amber warning for snow so the visit moved',
  'school have given a grace period for the uniform',
  'have faith that things will get better',
  'in the summer the kids were mostly at nans',
  'will do a follow up call with mum on monday',
  'dads car was up on a jack on the drive',
  // a title in front of a brand, a character or a book
  'the kids watched Frozen and The Lion King',
  "dad had Mrs Brown's Boys on telly really loud",
  'read a Mr Men book with the little one',
  'yp wearing Dr Martens boots and a hoodie',
  'mum gave the kids Mr Kipling cakes for tea',
  'a Sherlock Holmes book was on her bed',
  // a time range is no phone number
  'visit moved to 1400-1600, mum ok with that',
  'visit 0930-1130 at the family centre',
  'carers go in 4x a day 0800 1200 1700 2100',
  // platforms without usernames, places, organisations
  'last seen on snap map near the retail park',
  'yp said he goes on TikTok and Instagram most nights',
  'his insta is private so we could not see it',
  'goes to school in Huyton, settled well',
  'took yp to Alder Hey A&E for the cut',
  'the Salvation Army gave a food parcel',
  'dads car was up on a jack',
  'HV said the baby is fine',
  'met with Livv housing about the repairs',
  'referred to Womens Aid for support',
  'she sells clothes on Vinted and Depop',
  'food came from Deliveroo, cover from Bupa',
  'paid in at Lloyds bank',
  'RAG: Amber, Red, Green',
  'Ring the school first, then nan',
  'Victoria station is where she was found',
];

describe('findIdentifiers: identifiers found, with exact types and spans', () => {
  it.each(FOUND)('%s', (text, expected) => {
    const got = find(text).map((f) => [f.type, f.start, f.end, f.text]);
    expect(got).toEqual(spansOf(text, expected));
  });
});

describe('findIdentifiers: near misses are not flagged', () => {
  it.each(NOT_FOUND)('%s', (text) => {
    expect(find(text)).toEqual([]);
  });
});

describe('findIdentifiers: shape of the result', () => {
  it('sorts by start, never overlaps, and text and label match the span', () => {
    const text =
      'Mrs Patel (d.o.b. 03/04/1979), 14 Elm Grove LS6 2AB, 07700 900123, patel.a@gmail.com, NHS 943 476 5919';
    const findings = find(text);
    expect(findings.map((f) => f.type)).toEqual([
      'name',
      'date_of_birth',
      'address',
      'postcode',
      'phone',
      'email',
      'nhs_number',
    ]);
    for (let i = 1; i < findings.length; i++) expect(findings[i].start).toBeGreaterThanOrEqual(findings[i - 1].end);
    for (const f of findings) expect(text.slice(f.start, f.end)).toBe(f.text);
    expect(findings.map((f) => f.label)).toEqual([
      'a name',
      'a date of birth',
      'a street address',
      'a postcode',
      'a phone number',
      'an email address',
      'an NHS number',
    ]);
  });

  it('a check-digit-valid NHS number wins over the phone number it also looks like', () => {
    expect(find('943 476 5919').map((f) => f.type)).toEqual(['nhs_number']);
  });

  it('a street address wins over the "Dr" (Drive) that would start a name', () => {
    expect(find('12 Oak Dr Smith').map((f) => [f.type, f.text])).toEqual([['address', '12 Oak Dr']]);
  });

  it('a full date near a birth word counts only when its year is 0–110 years back', () => {
    expect(find('Gran was born in Leeds on 03/04/1915').map((f) => f.type)).toEqual([]);
    expect(find('Gran was born in Leeds on 03/04/1917').map((f) => f.type)).toEqual(['date_of_birth']);
    expect(find('baby born, due date was 03/04/2026').map((f) => f.type)).toEqual([]);
  });

  it('returns nothing for empty text', () => {
    expect(findIdentifiers('')).toEqual([]);
  });
});

describe('isValidNhsNumber (modulus 11)', () => {
  it.each([
    ['9434765919', true],
    ['943 476 5919', true],
    ['4010232137', true],
    ['6000000030', true], // remainder 0: check digit 0
    ['9434765918', false],
    ['1234567890', false], // check digit would be 10: never issued
    ['943476591', false],
    ['94347659190', false],
  ])('%s → %s', (digits, valid) => {
    expect(isValidNhsNumber(digits)).toBe(valid);
  });
});

describe('describeFindings', () => {
  it('lists each finding with its label and text, in order', () => {
    const text = 'Mrs Jones rang from 07700 900123 about LS6 2AB';
    expect(describeFindings(find(text))).toBe(
      'a name (Mrs Jones), a phone number (07700 900123), a postcode (LS6 2AB)',
    );
  });

  it('names every type in plain English', () => {
    const text = 'Mr Lee, lee@x.org, 07700 900123, LS6 2AB, 1 Elm Grove, NHS 943 476 5919, dob 03/04/2011';
    expect(describeFindings(find(text))).toBe(
      'a name (Mr Lee), an email address (lee@x.org), a phone number (07700 900123), a postcode (LS6 2AB), ' +
        'a street address (1 Elm Grove), an NHS number (943 476 5919), a date of birth (03/04/2011)',
    );
  });

  it('lists a repeated identifier once', () => {
    expect(describeFindings(find('Mrs Jones said Mrs Jones would call'))).toBe('a name (Mrs Jones)');
  });

  it('is an empty string when nothing was found', () => {
    expect(describeFindings([])).toBe('');
  });

  it('folds line breaks and shortens a long excerpt', () => {
    const long = `${'a'.repeat(60)}@example.org`;
    const findings: Finding[] = [
      { type: 'address', start: 0, end: 21, text: '12 Elm\n  Grove', label: 'a street address' },
      ...find(`write to ${long}`),
    ];
    expect(describeFindings(findings)).toBe(`a street address (12 Elm Grove), an email address (${'a'.repeat(39)}…)`);
  });

  it('groups by kind, counting several of a kind', () => {
    const text = 'Liam said Rose and Mrs Jones rang from 07700 900123, his snap is jj_dunny99 and her insta @riv.ersxd';
    expect(describeFindings(find(text))).toBe(
      '3 names (Liam, Rose, Mrs Jones), a phone number (07700 900123), 2 social media usernames (jj_dunny99, @riv.ersxd)',
    );
  });

  it('stays within about 300 characters and still names every kind found, with its count', () => {
    const names = Array.from(
      { length: 40 },
      (_, i) => `Mrs Name${String.fromCharCode(65 + (i % 26))}${i < 26 ? '' : 'x'}`,
    );
    const text = `${names.join(', ')}, ring 07700 900123, snap: kayla_x_11, dob 03/04/2011, 1 Elm Grove LS6 2AB, jo@x.org`;
    const findings = find(text);
    expect(findings.filter((f) => f.type === 'name')).toHaveLength(40);
    const d = describeFindings(findings);
    expect(d.length).toBeLessThanOrEqual(300);
    expect(d).toMatch(/^40 names \(Mrs NameA, .* and \d+ more\)/);
    for (const label of [
      'a phone number (07700 900123)',
      'a social media username (kayla_x_11)',
      'a date of birth (03/04/2011)',
      'a street address (1 Elm Grove)',
      'a postcode (LS6 2AB)',
      'an email address (jo@x.org)',
    ]) {
      expect(d).toContain(label);
    }
  });

  it('with very many kinds and examples, drops examples before it drops a kind', () => {
    const findings: Finding[] = (
      ['name', 'handle', 'phone', 'email', 'postcode', 'address', 'nhs_number', 'date_of_birth'] as IdentifierType[]
    ).flatMap((type) =>
      Array.from({ length: 6 }, (_, i) => ({
        type,
        start: 0,
        end: 1,
        text: `${type}-example-number-${i}-${'x'.repeat(20)}`,
        label: '',
      })),
    );
    const d = describeFindings(findings);
    expect(d.length).toBeLessThanOrEqual(300);
    for (const plural of [
      '6 names',
      '6 social media usernames',
      '6 phone numbers',
      '6 email addresses',
      '6 postcodes',
      '6 street addresses',
      '6 NHS numbers',
      '6 dates of birth',
    ]) {
      expect(d).toContain(plural);
    }
  });
});

describe('maskIdentifiers', () => {
  it('replaces each identifier with its placeholder', () => {
    expect(maskIdentifiers("Mrs Patel's son posted my address 14 Elm Grove, Leeds LS6 2AB on facebook")).toBe(
      "[name]'s son posted my address [address], Leeds [postcode] on facebook",
    );
    expect(maskIdentifiers('ring 07700 900123 or jo@x.org, NHS 943 476 5919, dob 03/04/2011')).toBe(
      'ring [phone number] or [email address], NHS [NHS number], dob [date of birth]',
    );
  });

  it('leaves text with nothing in it unchanged', () => {
    expect(maskIdentifiers('Section 2.3.2 at 17:30, £120, LCS-104233')).toBe(
      'Section 2.3.2 at 17:30, £120, LCS-104233',
    );
  });

  it('uses the findings it is given, and ignores overlapping or out-of-range ones', () => {
    const text = 'call Mrs Jones';
    const given: Finding[] = [
      { type: 'name', start: 5, end: 14, text: 'Mrs Jones', label: 'a name' },
      { type: 'phone', start: 6, end: 10, text: 'rs J', label: 'a phone number' },
      { type: 'email', start: 12, end: 40, text: '', label: 'an email address' },
    ];
    expect(maskIdentifiers(text, given)).toBe('call [name]');
    expect(maskIdentifiers(text, [])).toBe(text);
  });

  it.each(FOUND.filter(([, expected]) => expected.length > 0))(
    'leaves no identifier behind and nothing to find again: %s',
    (text) => {
      const findings = find(text);
      expect(findings.length).toBeGreaterThan(0);
      const masked = maskIdentifiers(text, findings);
      for (const f of findings) expect(masked).not.toContain(f.text);
      expect(find(masked)).toEqual([]);
    },
  );
});
