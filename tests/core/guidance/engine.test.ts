import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  loadGuidanceContent,
  parseGuidance,
  parseLabelledQuestions,
  parseVocabulary,
} from '../../../src/core/guidance/content';
import {
  CLARIFY_BAND,
  CONFIDENCE_THRESHOLD,
  createGuidanceEngine,
  GuidanceEngine,
  truncateQuestion,
} from '../../../src/core/guidance/engine';
import { questionFeatures, SoftmaxRegression } from '../../../src/core/guidance/model';
import { QueryAnalyser } from '../../../src/core/guidance/analyser';
import { expandSynonymGroups, isEnglishWord, SynonymTable, words } from '../../../src/core/guidance/text';
import englishWords from 'an-array-of-english-words';

const CONTENT = path.resolve(__dirname, '../../../content');
const content = loadGuidanceContent(CONTENT);
const engine = new GuidanceEngine(content);

describe('guidance content', () => {
  it('has every section of the source, numbered as in it, and no section 3', () => {
    expect(content.document.sections.map((s) => s.number)).toEqual([
      '1',
      '2',
      '2.1',
      '2.2',
      '2.3',
      '2.3.1',
      '2.3.2',
      '2.4',
      '2.5',
      '4',
    ]);
  });

  it('quotes the source text verbatim in every section that has its own text', () => {
    const source = fs.readFileSync(path.join(CONTENT, 'social-media-guidance.txt'), 'utf8').replace(/\u00a0/g, ' ');
    for (const s of content.document.sections.filter((x) => !['2', '2.3'].includes(x.number))) {
      for (const p of s.paragraphs) expect(source).toContain(p);
    }
  });

  it.each([
    [(d: any) => (d.sections[3].keyPoints = []), /sections\[3\]\.keyPoints .*at least 1/],
    [(d: any) => (d.sections[0].number = '3'), /no section 3/],
    [(d: any) => (d.sections[2].related = ['9.9']), /sections\[2\]\.related\[0\] "9.9" is not a section/],
    [(d: any) => (d.sections[1].number = '1'), /used twice/],
    [(d: any) => delete d.version, /version/],
    [(d: any) => (d.sections[4].title = ''), /sections\[4\]\.title must not be empty/],
    [(d: any) => delete d.sections[2].title, /sections\[2\]\.title is missing/],
    [(d: any) => (d.sections[2].keypoints = ['x']), /sections\[2\] has unknown field\(s\) "keypoints"/],
    [(d: any) => (d.sections[2].related = '2.2'), /sections\[2\]\.related must be a list/],
    [(d: any) => (d.sections[6].parent = '7'), /sections\[6\]\.parent "7" is not a section/],
    [
      (d: any) => (d.sections[2].keyPoints = ['a', 'b', 'c', 'd', 'e', 'f', 'g']),
      /sections\[2\]\.keyPoints must have at most 6 items/,
    ],
    [(d: any) => (d.sections[3].questions = 'can i add a client'), /sections\[3\]\.questions must be a list/],
    [(d: any) => (d.sections[3].questions[1] = ' '), /sections\[3\]\.questions\[1\] must not be empty/],
    [
      (d: any) => (d.sections[3].questions[0] = 'x'.repeat(161)),
      /sections\[3\]\.questions\[0\] must be a short question \(160 characters at most\)/,
    ],
    [
      (d: any) => d.sections[4].questions.push(d.sections[2].questions[0].toUpperCase()),
      /sections\[4\]\.questions\[\d+\] ".*" repeats sections\[2\]\.questions\[0\]/,
    ],
  ])('a broken content file stops the start with a message naming the field (%#)', (breakIt, message) => {
    const doc = structuredClone(JSON.parse(fs.readFileSync(path.join(CONTENT, 'guidance.json'), 'utf8')));
    breakIt(doc);
    expect(() => parseGuidance(doc, 'content/guidance.json')).toThrow(message);
    try {
      parseGuidance(doc, 'content/guidance.json');
    } catch (err) {
      expect((err as Error).message.startsWith('content/guidance.json: ')).toBe(true);
    }
  });

  it('names the file and field of a broken vocabulary entry', () => {
    const vocab = JSON.parse(fs.readFileSync(path.join(CONTENT, 'vocabulary.json'), 'utf8'));
    vocab.synonyms.fb = '';
    expect(() => parseVocabulary(vocab, 'content/vocabulary.json')).toThrow(
      'content/vocabulary.json: synonyms.fb must not be empty',
    );
    delete vocab.intents.greeting;
    vocab.synonyms.fb = 'facebook';
    expect(() => parseVocabulary(vocab, 'content/vocabulary.json')).toThrow(
      'content/vocabulary.json: intents.greeting is missing',
    );
  });

  it('names the field of a broken or repeated intent example', () => {
    const vocab = JSON.parse(fs.readFileSync(path.join(CONTENT, 'vocabulary.json'), 'utf8'));
    vocab.examples.not_covered.push(vocab.examples.not_covered[0]);
    expect(() => parseVocabulary(vocab, 'content/vocabulary.json')).toThrow(
      /examples\.not_covered\[\d+\] ".*" repeats examples\.not_covered\[0\]/,
    );
    vocab.examples.not_covered.pop();
    vocab.examples.injury_photo = [''];
    expect(() => parseVocabulary(vocab, 'content/vocabulary.json')).toThrow(
      'content/vocabulary.json: examples.injury_photo[0] must not be empty',
    );
    vocab.examples = { injury_photo: [], photos: [] };
    expect(() => parseVocabulary(vocab, 'content/vocabulary.json')).toThrow(/examples has unknown field\(s\) "photos"/);
  });

  it('has staff phrasings for every section and incident and injury-photo examples', () => {
    for (const s of content.document.sections) expect(s.questions.length).toBeGreaterThanOrEqual(3);
    // Incidents are labelled staff questions, each with the section it concerns.
    const incidents = content.questions.filter((q) => q.intent === 'report_incident');
    for (const s of ['1', '2.1', '2.2', '2.4', '2.5'])
      expect(incidents.filter((q) => q.section === s).length).toBeGreaterThanOrEqual(5);
    expect(content.vocabulary.examples.injury_photo.length).toBeGreaterThanOrEqual(5);
  });

  it('reads labelled staff questions and names the line of a broken one', () => {
    const sections = new Set(content.document.sections.map((x) => x.number));
    const good =
      '# a comment\ndev\tguidance\t2.2\t2.5\tcan i add a mum from work\n\nholdout\tout_of_scope\t-\t-\twhen is payday\n';
    expect(parseLabelledQuestions(good, sections, 'q.tsv')).toEqual([
      {
        split: 'dev',
        intent: 'guidance',
        section: '2.2',
        alsoOk: ['2.5'],
        question: 'can i add a mum from work',
        line: 2,
      },
      { split: 'holdout', intent: 'out_of_scope', section: null, alsoOk: [], question: 'when is payday', line: 4 },
    ]);
    const bad = (row: string) => () =>
      parseLabelledQuestions(`dev\tguidance\t2.1\t-\tfine\n${row}\n`, sections, 'q.tsv');
    expect(bad('dev\tguidance\t2.1\tno question')).toThrow('q.tsv:2: expected 5 tab-separated columns');
    expect(bad('dev\tadvice\t2.1\t-\tq')).toThrow('q.tsv:2: intent "advice" must be one of');
    expect(bad('dev\tguidance\t3.1\t-\tq')).toThrow('q.tsv:2: "3.1" is not a section of the guidance');
    expect(bad('dev\tguidance\t2.1\t2.9\tq')).toThrow('q.tsv:2: "2.9" is not a section of the guidance');
    expect(bad('dev\tguidance\t2.1\t-\t ')).toThrow('q.tsv:2: the question is empty');
    expect(bad('a b\tguidance\t2.1\t-\tq')).toThrow('q.tsv:2: split "a b" must be a short name');
    expect(bad('dev\tguidance\t2.2\t-\tFine!')).toThrow(
      'q.tsv:2: "Fine!" is labelled guidance/2.1 on line 1 and guidance/2.2 here',
    );
    expect(bad('dev\tguidance\t2.1\t-\tfine')).not.toThrow(); // the same label twice is only a repeat
  });

  it('starts on a vocabulary with fields the rule engine used, ignoring them with a notice; and says when the labelled questions are missing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-content-'));
    fs.copyFileSync(path.join(CONTENT, 'guidance.json'), path.join(dir, 'guidance.json'));
    const vocab = JSON.parse(fs.readFileSync(path.join(CONTENT, 'vocabulary.json'), 'utf8'));
    vocab.genericDomainTerms = ['post'];
    vocab.examples.report_incident = ['my account got hacked'];
    vocab.intents.workSystems = ['laptop'];
    fs.writeFileSync(path.join(dir, 'vocabulary.json'), JSON.stringify(vocab));
    const loaded = loadGuidanceContent(dir);
    expect(loaded.questions).toEqual([]);
    const notices = (loaded.notices ?? []).join('\n');
    expect(notices).toMatch(/staff-questions\.tsv is missing/);
    expect(notices).toMatch(/genericDomainTerms, examples\.report_incident, intents\.workSystems retired and ignored/);
    expect(content.notices).toEqual([]); // the shipped content has neither
    expect(new GuidanceEngine(loaded).answer('should i accept a friend request from a client').section).toBe('2.2');
  });

  it('reports a file that is not JSON with its name', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-content-'));
    fs.writeFileSync(path.join(dir, 'guidance.json'), '{ "title": ');
    fs.copyFileSync(path.join(CONTENT, 'vocabulary.json'), path.join(dir, 'vocabulary.json'));
    expect(() => loadGuidanceContent(dir)).toThrow(/guidance\.json: is not valid JSON/);
  });
});

describe('the engine', () => {
  it.each([
    ['how do i make my facebok privte', '2.1'], // typos
    ['instagarm password', '2.1'],
    ['shud i acept frend requests from ppl i dont know', '2.2'],
    ['been on the lash, can i post on fb', '2.3.1'],
    ['SOMEONE TAGGED ME IN A PHOTO', '2.4'],
    ['shoudl i untga myself', '2.4'],
    ['how do i utag myself', '2.4'], // a dropped letter in a short word
    ['my frend keeps postng racist stuff shud i unfriend', '2.2'], // postng is posting (commoner), not posing
    ['can i give a su my personal number', '2.5'],
  ])('tolerates typos, slang and shouting: %s', (q, section) => {
    expect(engine.answer(q).section).toBe(section);
  });

  it('knows English words from the sorted word list it searches in place', () => {
    for (let i = 1; i < englishWords.length; i++)
      if (!(englishWords[i - 1] < englishWords[i])) throw new Error(`unsorted at ${i}`);
    expect(['debating', 'a', 'zygote', 'privacy'].map(isEnglishWord)).toEqual([true, true, true, true]);
    expect(['privcay', 'fb', '', 'zzzz'].map(isEnglishWord)).toEqual([false, false, false, false]);
  });

  it('repairs slips against the words of the content: swapped letters count as one slip', () => {
    const analyser = new QueryAnalyser(content.document, content.vocabulary);
    expect(analyser.analyse('how do i chnage my pasword').raw).toEqual(['how', 'do', 'i', 'change', 'my', 'password']);
    expect(analyser.analyse('how do i chnage my pasword').typed).toEqual(['how', 'do', 'i', 'chnage', 'my', 'pasword']);
  });

  // The worker's own family adding them is a question about connecting (2.2), not news to report; the model learns
  // "my" from labelled questions that do not always agree, so this one checks the section only.
  it("answers the worker's own family adding them with the section on connecting", () => {
    expect(engine.answer('my mum added me on facebook').section).toBe('2.2');
  });

  // The report card names the section an incident concerns, and its runner-up; how a request from a family is
  // split between 2.2 (connecting) and 2.5 (report it) the labelled questions do not always agree on.
  it("reports a friend request from a young person's dad, with the section on connecting offered", () => {
    const a = engine.answer('got a friend req from a yps dad');
    expect(a.intent).toBe('report_incident');
    expect([a.section, ...a.alternatives.map((s) => s.section)].slice(0, 2)).toContain('2.2');
  });

  it.each([
    ['a mum on my caseload added me on insta, what do i do', 'report_incident', '2.2'],
    ['should i add my clients on facebook', 'guidance', '2.2'], // the worker asking, nothing has happened
    ['someones put lies about me on fb', 'report_incident', '1'],
    ['i want to report that my insta was hacked', 'report_incident', '2.1'],
    ['changed my pw ages ago is that ok', 'guidance', '2.1'],
    ['can i snap a pic of the bruises on this kid', 'injury_photo', '2.3.2'],
    ['been drinking, is it ok to post', 'guidance', '2.3.1'],
    ['how do i write a court report', 'out_of_scope', null],
    ['HOW DO I RESET MY IT PASSWORD', 'out_of_scope', null],
  ])('understands how staff put it: %s', (q, intent, section) => {
    expect(engine.answer(q)).toMatchObject({ intent, section });
  });

  it('reads synonyms as typed before their stems ("snap" is Snapchat, "snapped" is a photo)', () => {
    expect(engine.answer('my snap got hacked')).toMatchObject({ intent: 'report_incident', section: '2.1' });
    expect(engine.answer('a kid had bruises so i snapped them')).toMatchObject({
      intent: 'injury_photo',
      section: '2.3.2',
    });
  });

  it.each([['hi'], ['hiya'], ['morning'], ['alright mate'], ['Good Morning!!']])('greets back: %s', (q) => {
    expect(engine.answer(q).intent).toBe('greeting');
  });

  it.each([['topics'], ['menu'], ['list topics'], ['what topics do you cover']])('lists topics: %s', (q) => {
    expect(engine.answer(q).intent).toBe('topics');
  });

  it.each([
    ['book annual leave'],
    ['when is payday'],
    ['how do i claim mileage'],
    ['whats the weather like'],
    ['where can i park'],
  ])('knows what is out of scope: %s', (q) =>
    expect(engine.answer(q)).toMatchObject({ intent: 'out_of_scope', section: null }),
  );

  it('finds a section by a phrasing a policy officer adds, with no code change', () => {
    const q = 'is a burner account a good idea';
    expect(engine.answer(q).section).not.toBe('2.1');
    const doc = structuredClone(content.document);
    doc.sections.find((s) => s.number === '2.1')!.questions.push('should i have a burner account');
    expect(createGuidanceEngine(doc, content.vocabulary).answer(q)).toMatchObject({
      intent: 'guidance',
      section: '2.1',
    });
  });

  it('declines a question nearer a not-covered phrasing than any section, and a policy officer can add one', () => {
    const q = 'can i put our team rota on a whatsapp group';
    const before = engine.answer(q);
    const vocab = structuredClone(content.vocabulary);
    vocab.examples.not_covered.push('can we share the team rota in a whatsapp group');
    const after = createGuidanceEngine(content.document, vocab).answer(q);
    expect(after.section).toBeNull();
    expect(before.section).not.toBeNull();
    const declined = content.vocabulary.examples.not_covered.filter((nc) => engine.answer(nc).section === null);
    expect(declined.length / content.vocabulary.examples.not_covered.length).toBeGreaterThanOrEqual(0.8);
    expect(engine.answer('can i accept a friend request from a client').section).toBe('2.2'); // covered stays covered
  });

  it('tells a question about what to do if something happens from news that it has happened', () => {
    expect(engine.answer('what happens if a family posts lies about me online')).toMatchObject({
      intent: 'guidance',
      section: '1',
    });
    expect(engine.answer('a family posted lies about me online').section).toBe('1');
    expect(engine.answer('a dad from one of my cases added me what do i do').intent).toBe('report_incident');
    // Over the holdout split, which the engine never learns from: incidents go to the report card, and guidance
    // questions do not.
    const holdout = content.questions.filter((q) => q.split === 'holdout');
    const incidents = holdout.filter((q) => q.intent === 'report_incident');
    const questions = holdout.filter((q) => q.intent === 'guidance');
    expect(
      incidents.filter((q) => engine.answer(q.question).intent === 'report_incident').length / incidents.length,
    ).toBeGreaterThanOrEqual(0.6); // 7 of 11 today
    expect(
      questions.filter((q) => engine.answer(q.question).intent !== 'report_incident').length / questions.length,
    ).toBeGreaterThanOrEqual(0.9);
  });

  it.each([
    ['my mate hit me up on insta about a night out', false],
    ['can i rant about the council cuts on twitter', false],
    ['a parent hit out at me in the comments', false],
    ['i made my mark on linkedin can i list my cases', false],
    ['can i use a pic of a service users drawing on my profile', false],
    ['the kid had a cut lip and a burn on his hand', true],
    ['worried a service user is being hit by her partner', true],
  ])('reads cut, burn, hit and marks as injuries only about a person or a body: %s', (q, injury) => {
    expect(engine.answer(q).intent === 'injury_photo').toBe(injury);
  });

  it.each([
    ['how do i post my timesheet'],
    ['can i share my screen in teams'],
    ['how do i report a pothole'],
    ['who do i report a broken pool car to'],
  ])('knows posting, sharing and reporting that is not about social media: %s', (q) =>
    expect(engine.answer(q)).toMatchObject({ intent: 'out_of_scope', section: null }),
  );

  it.each([
    ['need to log that i gave my personal mobile to a mum ages ago', '2.5'],
    ['want to report a colleague who posted about one of our families on fb', '2.3.2'],
  ])('takes a worker asking to report something the guidance covers to the report card: %s', (q, section) => {
    const a = engine.answer(q);
    expect(a.intent).toBe('report_incident');
    expect([a.section, ...a.alternatives.map((s) => s.section)]).toContain(section);
  });

  it('leaves a request to report work admin declined; the cue adds the report route to the section, nothing else', () => {
    expect(engine.answer('i want to report a fault with my work phone to IT')).toMatchObject({ section: null });
    const withoutCue = structuredClone(content);
    withoutCue.vocabulary.intents.reportRequest = [];
    const modelOnly = new GuidanceEngine(withoutCue);
    for (const q of [
      'i want to report that my mate keeps posting racist stuff on fb',
      'need to report that i use the same password for everything',
    ]) {
      const asked = engine.answer(q);
      const alone = modelOnly.answer(q);
      expect(alone.intent).toBe('guidance');
      expect(asked).toMatchObject({ intent: 'report_incident', section: alone.section, score: alone.score });
    }
  });

  it('answers whole-policy questions with the summary or the steps', () => {
    for (const q of [
      'whats the gist of it all',
      'give me a checklist for staying safe on social media',
      'im a new starter what should i know about socials',
    ]) {
      expect(['2', '4']).toContain(engine.answer(q).section);
    }
  });

  it('routes by meaning, not by sentence', () => {
    expect(engine.answer('there are bruises on the child, can i take a photo?')).toMatchObject({
      intent: 'injury_photo',
      section: '2.3.2',
    });
    expect(engine.answer('my account got hacked')).toMatchObject({ intent: 'report_incident', section: '2.1' });
    expect(engine.answer('how do i stop my account being hacked')).toMatchObject({
      intent: 'guidance',
      section: '2.1',
    });
    expect(engine.answer('how often should i change my facebook password')).toMatchObject({
      intent: 'guidance',
      section: '2.1',
    });
    // A work log-in is not what 2.1 (passwords for social media) is about: never a confident answer with it.
    const login = engine.answer('i forgot my work password');
    expect(login.section === null || login.clarify).toBe(true);
  });

  it('says "not covered" below the confidence threshold instead of guessing', () => {
    const a = engine.answer('what is the dress code for court');
    expect(a.section).toBeNull();
    expect(a.score).toBeLessThan(CONFIDENCE_THRESHOLD);
    const covered = engine.answer('should i accept a friend request from a client');
    expect(covered.score).toBeGreaterThanOrEqual(CONFIDENCE_THRESHOLD);
  });

  it.each([
    [''],
    ['   '],
    ['😀🙈'],
    ['<b>hi</b>'],
    ['x'.repeat(10000)],
    ['?!?!'],
    ['\u0000\u0007'],
    ['[link](javascript:alert(1))'],
  ])('never throws on odd input (%#)', (q) => {
    const a = engine.answer(q);
    expect(typeof a.intent).toBe('string');
  });

  it('reads a long story to its end for an injury, and a photo question close behind a section goes to the walkthrough', () => {
    const story = `${'we had a long visit with the family today and there was a lot going on with the housing. '.repeat(14)}i noticed bruises on the little ones arm, can i take a photo?`;
    expect(story.length).toBeGreaterThan(1000);
    expect(engine.answer(story)).toMatchObject({ intent: 'injury_photo', section: '2.3.2' });
    expect(engine.answer('can i take photos at a home visit')).toMatchObject({
      intent: 'injury_photo',
      section: '2.3.2',
    });
  });

  it('reads a question wrapped in HTML or markdown', () => {
    expect(engine.answer('<p><b>someone HACKED my fb!!!</b></p>')).toMatchObject({
      intent: 'report_incident',
      section: '2.1',
    });
    expect(engine.answer('**can i take photos of bruises** 📸')).toMatchObject({
      intent: 'injury_photo',
      section: '2.3.2',
    });
  });

  it('cuts a long paste at a word boundary and still answers it', () => {
    const long = `how do i make my facebook private ${'blah '.repeat(3000)}`;
    expect(truncateQuestion(long).length).toBeLessThanOrEqual(1000);
    expect(truncateQuestion(long).endsWith('blah')).toBe(true);
    expect(engine.answer(long).intent).toBeDefined();
  });

  it('can be built from parsed content, gives the topic list and looks sections up', () => {
    const built = createGuidanceEngine(content.document, content.vocabulary);
    expect(built.topics().map((t) => t.number)).toEqual([
      '1',
      '2',
      '2.1',
      '2.2',
      '2.3',
      '2.3.1',
      '2.3.2',
      '2.4',
      '2.5',
      '4',
    ]);
    expect(built.section('2.3.2')?.title).toBe('Professional information');
    expect(built.section('3')).toBeUndefined();
  });

  it('carries an engine version that changes with the content', () => {
    expect(engine.engineVersion).toMatch(/^ks-engine-\d+\/.+\/[0-9a-f]{8}$/);
    const doc = structuredClone(content.document);
    doc.sections[0].keyPoints = [...doc.sections[0].keyPoints.slice(0, 5), 'An extra point.'];
    expect(createGuidanceEngine(doc, content.vocabulary).engineVersion).not.toBe(engine.engineVersion);
    expect(new GuidanceEngine(content).engineVersion).toBe(engine.engineVersion);
  });

  it('asks "did you mean" only when it has a section and hesitates', () => {
    const sure = engine.answer('section 2.1');
    expect(sure.clarify).toBe(false);
    expect(engine.answer('book annual leave').clarify).toBe(false);
    expect(engine.answer('can i snap a pic of the bruises on this kid').clarify).toBe(false);
    const answers = [
      'how do i make my facebook private',
      'someone tagged me in a photo',
      'can i post about work',
      'untag myself',
      'friends',
      'photos',
    ].map((q) => engine.answer(q));
    expect(answers.some((a) => a.clarify)).toBe(true);
    expect(answers.some((a) => a.section && !a.clarify)).toBe(true);
    for (const a of answers) {
      // Asked only with a section, and only with a choice to offer or a middling confidence.
      if (a.clarify)
        expect(a.section !== null && (a.alternatives.length > 0 || a.score < engine.threshold + CLARIFY_BAND)).toBe(
          true,
        );
      if (a.section && a.alternatives.length === 0 && a.score >= engine.threshold + CLARIFY_BAND)
        expect(a.clarify).toBe(false);
    }
  });

  it('learns from the labelled staff questions: a wording the phrasings lack is answered once a row teaches it', () => {
    const q = 'is it dodgy to have a secret second insta just for close mates';
    const without = new GuidanceEngine({ ...content, questions: [] });
    const taught = new GuidanceEngine({
      ...content,
      questions: [
        ...content.questions,
        {
          split: 'dev',
          intent: 'guidance',
          section: '2.1',
          alsoOk: [],
          question: 'should i have a private second insta only close mates can see',
          line: 0,
        },
      ],
    });
    expect(taught.answer(q)).toMatchObject({ intent: 'guidance', section: '2.1' });
    // Without any labelled questions, the phrasings alone still answer plain questions.
    expect(without.answer('should i accept a friend request from a client').section).toBe('2.2');
  });

  it('never learns from the holdout split: leaving it out of the file changes no answer', () => {
    const holdout = content.questions.filter((q) => q.split === 'holdout');
    expect(holdout.length).toBeGreaterThanOrEqual(80);
    const without = new GuidanceEngine({
      ...content,
      questions: content.questions.filter((q) => q.split !== 'holdout'),
    });
    for (const q of holdout) expect(without.answer(q.question)).toEqual(engine.answer(q.question));
    // ...whereas learning from it would change some (so the check above could fail).
    const all = new GuidanceEngine(content, { learnFrom: () => true });
    expect(
      holdout.some((q) => JSON.stringify(all.answer(q.question)) !== JSON.stringify(engine.answer(q.question))),
    ).toBe(true);
  });

  it('names the nearest section of a declined question only when one is likely enough', () => {
    expect(engine.nearestSection('how do i make my facebook private')).toBe('2.1');
    expect(engine.nearestSection('😀🙈')).toBeNull();
    expect(engine.nearestSection('')).toBeNull();
  });

  it('a stricter threshold refuses more, never guesses a different section', () => {
    const strict = new GuidanceEngine(content, { threshold: 0.99 });
    const a = strict.answer('what is the best time of day to post on instagram');
    expect(a.section).toBeNull();
  });

  it('answers a 10,000-character paste in bounded time', () => {
    const started = performance.now();
    engine.answer(`privacy ${'lorem ipsum dolor '.repeat(600)}`);
    expect(performance.now() - started).toBeLessThan(2000); // a guard against runaway work, not a benchmark
  });
});

describe('the slang table', () => {
  const table = new SynonymTable({
    fb: 'facebook',
    'social workers': 'social worker',
    'friend request': 'request to connect',
    'sent me a friend request': 'asked to connect',
  });
  const expand = (text: string) => expandSynonymGroups(words(text), table).map((g) => g.join(' '));

  it('replaces the longest phrase first, as typed or by its stems', () => {
    expect(expand('she sent me a friend request on fb')).toEqual(['she', 'asked to connect', 'on', 'facebook']);
    expect(expand('two friend requests')).toEqual(['two', 'request to connect']);
    expect(expand('all the social worker')).toEqual(['all', 'the', 'social worker']);
  });

  it('knows the longest key each word can start, so a long paste is looked up word by word', () => {
    expect(table.longestKeyFrom('sent', 'sent')).toBe(5);
    expect(table.longestKeyFrom('friends', 'friend')).toBe(2);
    expect(table.longestKeyFrom('fb', 'fb')).toBe(1);
    expect(table.longestKeyFrom('holiday', 'holiday')).toBe(0);
  });
});

describe('the section model', () => {
  const f = (terms: string[]) => questionFeatures({ terms, typed: terms });
  const examples = [
    { label: 'friends', features: f(['mate', 'post', 'racist']), weight: 1 },
    { label: 'friends', features: f(['unfriend', 'mate']), weight: 1 },
    { label: 'own posts', features: f(['post', 'drunk']), weight: 1 },
    { label: 'own posts', features: f(['post', 'holiday', 'photo']), weight: 1 },
  ];

  it('learns which words tell labels apart, and word pairs', () => {
    const model = new SoftmaxRegression(examples);
    expect(model.probabilities(f(['mate', 'post'])).get('friends')).toBeGreaterThan(0.5);
    expect(model.probabilities(f(['post', 'drunk'])).get('own posts')).toBeGreaterThan(0.5);
    const p = model.probabilities(['unknown']);
    expect(p.get('friends')).toBeCloseTo(0.5); // no evidence, no opinion
    expect(model.probabilities(['unknown'], { knownOnly: true })).toBeNull(); // ...and can say so
  });

  it('sees a question two ways: stems and their pairs, and the words as typed, their pairs and letter triples', () => {
    expect(questionFeatures({ terms: ['mate', 'post'], typed: ['my', 'mate'] })).toEqual([
      'mate',
      'post',
      'mate_post',
      'w:my',
      'w:mate',
      'b:my_mate',
      'c:#my',
      'c:my#',
      'c:#ma',
      'c:mat',
      'c:ate',
      'c:te#',
    ]);
    // A slip the spelling repair does not know still shares most letter triples with the word it slips from.
    const model = new SoftmaxRegression([
      { label: 'passwords', features: questionFeatures({ terms: [], typed: ['passwords'] }), weight: 1 },
      { label: 'photos', features: questionFeatures({ terms: [], typed: ['photographs'] }), weight: 1 },
    ]);
    expect(model.probabilities(questionFeatures({ terms: [], typed: ['passwrds'] })).get('passwords')).toBeGreaterThan(
      0.5,
    );
  });

  it('keeps the average of its last passes, not the last pass alone', () => {
    const sure = (averageFrom: number) =>
      new SoftmaxRegression(examples, { averageFrom }).probabilities(f(['post', 'drunk'])).get('own posts')!;
    // Averaged from the first pass, the early, less certain weights count: less sure than the last pass alone, still right.
    expect(sure(1)).toBeLessThan(sure(10));
    expect(sure(1)).toBeGreaterThan(0.5);
    // The default averages the second half of the passes: between the two.
    const byDefault = new SoftmaxRegression(examples).probabilities(f(['post', 'drunk'])).get('own posts')!;
    expect(byDefault).toBeGreaterThan(sure(1));
    expect(byDefault).toBeLessThan(sure(10));
  });

  it('is deterministic: the same content always gives the same engine', () => {
    const a = new SoftmaxRegression(examples).probabilities(f(['mate', 'holiday']));
    const b = new SoftmaxRegression(examples).probabilities(f(['mate', 'holiday']));
    expect([...a]).toEqual([...b]);
  });
});

describe('ask CLI', () => {
  const run = (args: string[], input?: string) =>
    spawnSync(
      process.execPath,
      [require.resolve('tsx/cli'), path.resolve(__dirname, '../../../src/cli/ask.ts'), ...args],
      {
        input,
        encoding: 'utf8',
        cwd: path.resolve(__dirname, '../../..'),
      },
    );

  it('prints exactly one JSON line for one question', () => {
    const out = run(['--json', 'can i snap a pic of the bruises on this kid']);
    expect(out.status).toBe(0);
    const lines = out.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ intent: 'injury_photo', section: '2.3.2' });
  });

  it('prints the next best sections as numbers and whether it would ask "did you mean"', () => {
    const out = run(['--json', 'should i accept a friend request from a client']);
    const line = JSON.parse(out.stdout.trim());
    expect(Object.keys(line)).toEqual(['intent', 'section', 'score', 'alternatives', 'clarify']);
    expect(line.section).toBe('2.2');
    expect(Array.isArray(line.alternatives)).toBe(true);
    for (const s of line.alternatives) expect(s).toMatch(/^\d(\.\d){0,2}$/);
    expect(line.alternatives).not.toContain('2.2');
    expect(typeof line.clarify).toBe('boolean');
  });

  it('reads one question per line from stdin and answers each, in order', () => {
    const out = run(['--json'], 'how do i book annual leave\n\nsomeone tagged me in a photo\n');
    const lines = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ intent: 'out_of_scope', section: null });
    expect(lines[2]).toMatchObject({ intent: 'guidance', section: '2.4' });
    expect(typeof lines[2].score).toBe('number');
  });

  it('prints a readable answer without --json', () => {
    const out = run(['how do i make my facebook private']);
    expect(out.stdout).toMatch(/Section 2\.1: Privacy settings and passwords/);
  });
});
