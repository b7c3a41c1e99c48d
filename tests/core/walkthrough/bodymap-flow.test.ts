/**
 * The body-map step of the photo-decision walkthrough from flow version 2, pressed as a worker presses it on the
 * cards it renders: the picture of the chosen view with its numbered parts, only that view's parts offered, the
 * outline by age band, each mark's fields as practice records them, marks drawn as they are added and removed
 * before saving, the entry it stores, and the 28 KB card budget with 20 marks. Flow 1 (front and back, one size)
 * is tested in tests/core/walkthrough/flow.test.ts, which its walkthroughs still finish on.
 */
import { schemaErrors, sdkParseErrors, TEAMS_MESSAGE_LIMIT } from '../../helpers/adaptiveCards';
import { walkCard } from '../../helpers/cardDriver';
import { numberedRegions } from '../../../src/core/bodymap/geometry';
import { bodyRegion } from '../../../src/core/bodymap/regions';
import { compileCaseRefPattern } from '../../../src/core/records/caseRef';
import { validateEntry } from '../../../src/core/records/entry';
import { RECORD_KINDS } from '../../../src/core/records/kinds';
import { cardAttachment } from '../../../src/features/cardRender';
import { bodyMapImage, photoSummaryCardData } from '../../../src/features/walkthrough/views';
import {
  createWalkthroughMachine,
  FLOW_VERSION,
  FLOWS,
  type Effect,
  type StepResult,
  type WalkState,
} from '../../../src/core/walkthrough';
import { renderStepCard, renderSummaryCard, type Card } from '../../../src/features/walkthrough/stepCards';

const NOW = new Date('2026-11-24T14:30:00Z');
const PATTERN = compileCaseRefPattern();
const machine = createWalkthroughMachine();

const SEEN_ADULT = { concern: 'physical_injury', personType: 'adult', caseRef: 'lcs-104233', immediateDanger: 'no' };
const ADVICE = {
  adviserName: 'Priya Shah',
  adviserRole: 'Team manager',
  via: 'phone',
  givenDate: '2026-11-24',
  givenTime: '14:05',
  decision: 'do_not_photograph',
  conditions: '',
};

/** A mark as a worker types it (the view is chosen with the buttons above the picture). */
const BRUISE = {
  region: 'left_forearm',
  vertical: 'upper',
  across: 'outer',
  markType: 'bruise',
  lengthCm: '3',
  widthCm: '2',
  shape: 'oval',
  colour: 'purple with a yellow edge',
  skinBroken: 'no',
  swelling: 'yes',
  bleeding: 'no',
  explanation: 'the_person',
  explainedBy: '',
  explanationWords: 'I banged it on the door',
  description: '',
  recorderRole: 'Support worker',
};
const CUT = {
  ...BRUISE,
  region: 'upper_back',
  vertical: '',
  across: 'left',
  markType: 'cut',
  lengthCm: '4',
  widthCm: '0.2',
  shape: 'line',
  colour: 'red',
  skinBroken: 'yes',
  swelling: 'no',
  bleeding: 'yes',
  explanation: 'someone_else',
  explainedBy: 'mother',
  explanationWords: 'He fell on the fence',
};
const SIDE = {
  ...BRUISE,
  region: 'left_hip',
  vertical: 'lower',
  across: 'back',
  markType: 'swelling',
  lengthCm: '5',
  widthCm: '4',
  shape: 'round',
  colour: 'pink',
  explanation: 'none',
  explanationWords: '',
};

function walk(card: unknown, visit: (n: any) => void) {
  walkCard(card, visit);
}

function checkCard(card: Card): Card {
  if (process.env.DEBUG_CARD) {
    const parts = (card.body as any[]).map((b) => `${b.type}:${JSON.stringify(b).length}`);
    process.stdout.write(`${JSON.stringify(card).length} ${parts.join(' ')}\n`);
  }
  expect(schemaErrors(card)).toBe('');
  expect(sdkParseErrors(card)).toEqual([]);
  const message = { type: 'message', attachments: [cardAttachment(card as any)] };
  expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThan(TEAMS_MESSAGE_LIMIT);
  walk(card, (n) => {
    if (n.type === 'Image') expect(n.altText).toBeTruthy();
    if (typeof n.type === 'string' && n.type.startsWith('Input.')) expect(n.label).toBeTruthy();
  });
  return card;
}

const actionsOf = (card: Card) => {
  const out: any[] = [];
  walk(card, (n) => n.type === 'Action.Execute' && out.push(n));
  return out;
};
const inputsOf = (card: Card) => {
  const out: Record<string, any> = {};
  walk(card, (n) => typeof n.type === 'string' && n.type.startsWith('Input.') && (out[n.id] = n));
  return out;
};
const imagesOf = (card: Card) => {
  const out: any[] = [];
  walk(card, (n) => n.type === 'Image' && out.push(n));
  return out;
};
const textOf = (card: Card) => {
  const parts: string[] = [];
  walk(card, (n) => {
    if (n.type === 'TextBlock') parts.push(n.text);
    if (n.type === 'FactSet') for (const f of n.facts) parts.push(`${f.title}: ${f.value}`);
  });
  return parts.join('\n');
};

class Run {
  state: WalkState;
  last?: StepResult;
  effects: Effect[] = [];
  constructor() {
    this.state = machine.startWalkthrough({ now: NOW, guidanceVersion: '1.0' });
  }
  card(): Card {
    return checkCard(renderStepCard(this.state, { errors: this.last?.errors, notice: this.last?.notice, now: NOW }));
  }
  press(choice: string, inputs: Record<string, unknown> = {}, markId?: string): StepResult {
    const card = this.card();
    const action = actionsOf(card).find(
      (a) => a.data.choice === choice && (markId === undefined || a.data.markId === markId),
    );
    if (!action)
      throw new Error(`no "${choice}" on the ${this.state.step} card: ${actionsOf(card).map((a) => a.data.choice)}`);
    // As Teams sends it: the inputs as pre-filled on the card, with what was typed over them.
    const prefilled: Record<string, string> = {};
    for (const [id, n] of Object.entries(inputsOf(card))) if (n.value !== undefined) prefilled[id] = String(n.value);
    const res = machine.handleAction(
      this.state,
      action.associatedInputs === 'none' ? action.data : { ...prefilled, ...inputs, ...action.data },
      NOW,
    );
    this.last = res;
    this.state = res.state;
    for (const e of res.effects) {
      this.effects.push(e);
      if (e.type === 'append')
        this.state = machine.noteRecorded(
          this.state,
          e.entry.kind,
          `0000000${this.effects.length}-0000-4000-8000-000000000000`,
        );
    }
    return res;
  }
  toBodyMap(seen: Record<string, string> = SEEN_ADULT): this {
    this.press('continue', seen);
    this.press('yes');
    this.press('continue', ADVICE);
    expect(this.state.step).toBe('body_map');
    return this;
  }
  entry(kind: string) {
    const e = this.effects.filter(
      (x): x is Extract<Effect, { type: 'append' }> => x.type === 'append' && x.entry.kind === kind,
    );
    expect(e.length).toBeGreaterThan(0);
    return e[e.length - 1].entry;
  }
}

describe('flow version 2: the body map with a picture', () => {
  it('is the current flow; flow 1 is kept for walkthroughs started on it', () => {
    expect(FLOW_VERSION).toBe('2');
    expect(Object.keys(FLOWS)).toEqual(expect.arrayContaining(['1', '2']));
    expect(new Run().state.flowVersion).toBe('2');
  });

  it('shows the front with its parts numbered, offers only the front parts by number, and the four views as buttons', () => {
    const run = new Run().toBodyMap();
    const card = run.card();
    const [picture] = imagesOf(card);
    expect(picture.url).toMatch(/^data:image\/png;base64,/);
    expect(picture.altText).toMatch(
      /^Body map, front\. No marks on this side yet\. Numbered parts: 1 head, 2 face, 3 neck, 4 right shoulder/,
    );
    const region = inputsOf(card).region;
    expect(region.choices).toEqual(
      numberedRegions('front').map((r) => ({ value: r.id, title: `${r.number} · ${bodyRegion(r.id)!.label}` })),
    );
    expect(region.choices.some((c: any) => c.value === 'upper_back')).toBe(false);
    expect(inputsOf(card).across.choices.map((c: any) => c.value)).toEqual(['inner', 'outer', 'left', 'right']);
    const views = actionsOf(card).filter((a) => a.data.choice.startsWith('view_'));
    expect(views.map((a) => a.title)).toEqual(['Front view ✓', 'Back view', 'Left side', 'Right side']);
    // An adult: no outline buttons. The bottom row: Add, Continue, Back, Cancel.
    expect(actionsOf(card).some((a) => a.data.choice.startsWith('band_'))).toBe(false);
    expect((card.actions as any[]).map((a) => a.title)).toEqual(['Add this mark', 'Continue', 'Back', 'Cancel']);
    expect(inputsOf(card).markId).toBeUndefined(); // nothing to remove yet
  });

  it('changes the view without losing what was typed; then only that view is offered, and a part of another is refused', () => {
    const run = new Run().toBodyMap();
    run.press('view_back', { colour: 'purple', lengthCm: '3' });
    let card = run.card();
    expect(run.state.answers.body_map).toMatchObject({ view: 'back', colour: 'purple', lengthCm: '3' });
    expect(inputsOf(card).colour.value).toBe('purple');
    expect(inputsOf(card).region.choices.map((c: any) => c.value)).toEqual(numberedRegions('back').map((r) => r.id));
    expect(inputsOf(card).region.choices.some((c: any) => c.value === 'face')).toBe(false);
    expect(imagesOf(card)[0].altText).toMatch(/^Body map, back/);
    // A part of the front sent anyway (an old card, a crafted press) is refused with a plain reason.
    run.press('add_mark', { ...BRUISE, region: 'face' });
    expect(run.last?.errors?.region).toMatch(/not seen from this side/);
    run.press('view_left', {});
    card = run.card();
    expect(inputsOf(card).region.choices.map((c: any) => c.value)).toEqual(numberedRegions('left').map((r) => r.id));
    expect(inputsOf(card).across.choices.map((c: any) => c.value)).toEqual(['front', 'back']);
  });

  it('adds marks that are drawn on the picture and numbered in the list, and removes one before saving', () => {
    const run = new Run().toBodyMap();
    run.press('add_mark', BRUISE);
    expect(run.last?.notice).toBe('Mark 1 added. Add another, or press Continue.');
    run.press('view_back', {});
    run.press('add_mark', CUT);
    run.press('view_left', {});
    run.press('add_mark', SIDE);
    expect(run.state.marks.map((m) => [m.view, m.region])).toEqual([
      ['front', 'left_forearm'],
      ['back', 'upper_back'],
      ['left', 'left_hip'],
    ]);
    let card = run.card();
    const lines = textOf(card);
    expect(lines).toContain(
      '1. Left forearm (front), upper part, outer side: bruise, 3 × 2 cm, oval, purple with a yellow edge',
    );
    expect(lines).toContain("2. Upper back (back), the person's left: cut, 4 × 0.2 cm, a line or strip, red");
    expect(lines).toContain('3. Left hip (left side), lower part, towards the back: swelling, 5 × 4 cm, round, pink');
    // The picture shows the left side with its mark, numbered 3 as in the list.
    expect(imagesOf(card)[0].altText).toMatch(
      /^Body map, left side\. Marks so far on this side, numbered as in the list: 3\. Numbered parts: 1 left side of head/,
    );
    // The form is empty for the next mark, the view and the worker's role kept.
    expect(run.state.answers.body_map).toEqual({ view: 'left', recorderRole: 'Support worker' });

    expect(inputsOf(card).markId.choices).toEqual([
      { title: 'Mark 1', value: 'm1' },
      { title: 'Mark 2', value: 'm2' },
      { title: 'Mark 3', value: 'm3' },
    ]);
    expect(inputsOf(card).markId.value).toBe('m3');
    run.press('remove_mark', { markId: 'm1' });
    expect(run.last?.notice).toBe('Mark 1 removed. The marks after it are numbered again.');
    card = run.card();
    expect(textOf(card)).toContain('1. Upper back (back)');
    expect(inputsOf(card).markId.choices.map((c: any) => c.title)).toEqual(['Mark 1', 'Mark 2']);

    run.press('continue', {});
    expect(run.state.step).toBe('written_record');
    const entry = run.entry('body_map');
    const valid = validateEntry({ ...entry, author: { aadObjectId: 'aad-sam', name: 'Sam Carter' } }, PATTERN);
    expect(valid.fields).toEqual({
      marks: [
        {
          view: 'back',
          region: 'upper_back',
          across: 'left',
          type: 'cut',
          lengthCm: 4,
          widthCm: 0.2,
          shape: 'line',
          colour: 'red',
          skinBroken: 'yes',
          swelling: 'no',
          bleeding: 'yes',
          explanation: 'someone_else',
          explainedBy: 'mother',
          explanationWords: 'He fell on the fence',
          markedAt: NOW.toISOString(),
        },
        {
          view: 'left',
          region: 'left_hip',
          vertical: 'lower',
          across: 'back',
          type: 'swelling',
          lengthCm: 5,
          widthCm: 4,
          shape: 'round',
          colour: 'pink',
          skinBroken: 'no',
          swelling: 'yes',
          bleeding: 'no',
          explanation: 'none',
          markedAt: NOW.toISOString(),
        },
      ],
      ageBand: 'adult',
      recorderRole: 'Support worker',
      flowVersion: '2',
      walkthroughId: run.state.id,
    });
  });

  it('checks each mark as practice asks, with the rest of what was typed kept', () => {
    const cases: [Record<string, string>, string[]][] = [
      [{ ...BRUISE, widthCm: '4' }, ['widthCm']],
      [{ ...BRUISE, lengthCm: '0', widthCm: 'wide' }, ['lengthCm', 'widthCm']],
      [{ ...BRUISE, across: 'left' }, ['across']], // left/right is for the trunk; a forearm has inner and outer
      [
        { ...BRUISE, shape: '', colour: '', skinBroken: '', swelling: 'maybe', bleeding: '' },
        ['shape', 'colour', 'skinBroken', 'swelling', 'bleeding'],
      ],
      [
        { ...BRUISE, explanation: 'someone_else', explainedBy: '', explanationWords: '' },
        ['explainedBy', 'explanationWords'],
      ],
      [{ ...BRUISE, explanation: '', explanationWords: '' }, ['explanation']],
      [{ ...BRUISE, region: 'tail', markType: 'tattoo' }, ['region', 'markType']],
    ];
    for (const [typed, fields] of cases) {
      const run = new Run().toBodyMap();
      run.press('add_mark', typed);
      expect({ typed, errors: Object.keys(run.last?.errors ?? {}).sort() }).toEqual({
        typed,
        errors: [...fields].sort(),
      });
      expect(run.state.marks).toHaveLength(0);
      expect(run.state.answers.body_map.colour).toBe(typed.colour);
      const card = run.card();
      for (const f of fields) expect(textOf(card)).toContain(run.last!.errors![f].replace(/([().])/g, '$1'));
    }
    // Continue needs the worker's role (it goes with their name and the time), and one mark.
    const run = new Run().toBodyMap();
    run.press('continue', {});
    expect(Object.keys(run.last?.errors ?? {})).toEqual(['marks']);
    run.press('add_mark', { ...BRUISE, recorderRole: '' });
    expect(run.state.marks).toHaveLength(1);
    run.press('continue', { recorderRole: '' });
    expect(Object.keys(run.last?.errors ?? {})).toEqual(['recorderRole']);
    expect(run.state.step).toBe('body_map');
  });

  it("puts the free text of a mark through the identifier check, but not the worker's own role", () => {
    const run = new Run().toBodyMap();
    expect(Object.keys(machine.freeTextInputs(run.state, BRUISE)).sort()).toEqual(['colour', 'explanationWords']);
    expect(Object.keys(machine.freeTextInputs(run.state, { ...CUT, description: 'seen at Mrs Patel' })).sort()).toEqual(
      ['colour', 'description', 'explainedBy', 'explanationWords'],
    );
  });

  it("draws a child's outline for a child, and a baby's or an adult's when chosen; the record says which", () => {
    const run = new Run().toBodyMap({ ...SEEN_ADULT, personType: 'child' });
    let card = run.card();
    const bands = actionsOf(card).filter((a) => a.data.choice.startsWith('band_'));
    expect(bands.map((a) => a.title)).toEqual(['Baby outline', 'Child outline ✓', 'Adult outline']);
    const childPicture = imagesOf(card)[0].url;
    run.press('band_baby', { colour: 'blue' });
    card = run.card();
    expect(actionsOf(card).find((a) => a.data.choice === 'band_baby').title).toBe('Baby outline ✓');
    expect(imagesOf(card)[0].url).not.toBe(childPicture);
    expect(inputsOf(card).colour.value).toBe('blue');
    run.press('add_mark', BRUISE);
    run.press('continue', {});
    expect(run.entry('body_map').fields).toMatchObject({ ageBand: 'baby' });
    // For an adult the outline buttons are not offered, and pressing one anyway (a crafted payload) is stale.
    const adult = new Run().toBodyMap();
    const forged = { ...actionsOf(adult.card()).find((a) => a.data.choice === 'view_back').data, choice: 'band_baby' };
    expect(machine.handleAction(adult.state, forged, NOW).stale?.reason).toBe('unknown_button');
  });

  it('sends the channel codes and numbers only: never the colour, the explanation or its words', () => {
    const run = new Run().toBodyMap();
    run.press('add_mark', BRUISE);
    run.press('continue', {});
    run.press('continue', { whatWasSeen: 'Bruise', seenDate: '2026-11-24', seenTime: '13:45' });
    run.press('continue', { referralMade: 'true', referredTo: 'Adult safeguarding' });
    run.press('finish');
    const summary = run.effects.find((e) => e.type === 'incident_summary') as Extract<
      Effect,
      { type: 'incident_summary' }
    >;
    expect(summary.marks).toEqual([
      {
        view: 'front',
        region: 'left_forearm',
        type: 'bruise',
        lengthCm: 3,
        widthCm: 2,
        vertical: 'upper',
        across: 'outer',
      },
    ]);
    expect(summary.ageBand).toBe('adult');
    const data = photoSummaryCardData(summary, run.state);
    expect(data.marks).toEqual(['1. Front, left forearm: bruise, 3 × 2 cm']);
    const json = JSON.stringify(data);
    for (const secret of ['purple', 'banged', 'Support worker']) expect(json).not.toContain(secret);
  });

  it('keeps the body-map card with 20 marks, and the summary with 20 marks and its 720 px picture, under 28 KB', () => {
    const run = new Run().toBodyMap({ ...SEEN_ADULT, personType: 'child' });
    const views = ['front', 'back', 'left', 'right'] as const;
    const long = (n: number, c: string) => c.repeat(n);
    for (let i = 0; i < 20; i++) {
      const view = views[i % 4];
      run.press(`view_${view}`, {});
      const regions = numberedRegions(view);
      const region = regions[(i * 5) % regions.length].id;
      const across = view === 'left' || view === 'right' ? 'front' : '';
      run.press('add_mark', {
        ...CUT,
        region,
        across,
        vertical: 'lower',
        colour: long(60, 'c'),
        explainedBy: long(120, 'r'),
        explanationWords: long(1000, 'w'),
        description: long(1000, 'd'),
        recorderRole: long(120, 'x'),
      });
      expect(run.last?.errors).toBeUndefined();
    }
    expect(run.state.marks).toHaveLength(20);
    const marking = run.card();
    expect(imagesOf(marking)).toHaveLength(1); // the picture stays with 20 marks
    const markingBytes = Buffer.byteLength(JSON.stringify(marking));
    // The worst the step can be: every field typed at its longest, every error shown, identifiers to confirm.
    const step = FLOWS['2'].steps.body_map;
    const typed = {
      ...run.state,
      answers: {
        ...run.state.answers,
        body_map: {
          ...run.state.answers.body_map,
          ...Object.fromEntries(step.fields.map((f) => [f.id, long((f.maxLength ?? 20) + 150, 'z')])),
        },
      },
    };
    const worst = checkCard(
      renderStepCard(typed, {
        now: NOW,
        errors: Object.fromEntries([
          ...step.fields.map((f) => [f.id, `${f.errorMessage} ${long(100, 'e')}`]),
          ['marks', long(200, 'm')],
        ]),
        identifiers: {
          found: Object.fromEntries(step.fields.map((f) => [f.id, `a name (${long(80, 'N')})`])),
          digest: '0123456789abcdef',
        },
        problem: long(200, 'p'),
      }),
    );
    expect(textOf(worst)).toMatch(/Some long text could not be shown again in full|picture is left out/);
    run.press('continue', {});
    run.press('continue', {
      whatWasSeen: long(4000, 's'),
      seenDate: '2026-11-24',
      seenTime: '13:45',
      whatWasSaid: long(2000, 'a'),
      explainedBy: long(200, 'b'),
      explanationGiven: long(2000, 'e'),
    });
    run.press('continue', { referralMade: 'true', referredTo: long(200, 't'), referenceNumber: long(60, 'n') });
    run.press('finish');
    const image = bodyMapImage(run.state)!;
    const png = Buffer.from(image.url.split(',')[1], 'base64');
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(720); // IHDR width
    const summary = checkCard(renderSummaryCard(run.state, { reference: 'KS-7Q2M4X', bodyMapImage: image }));
    expect(imagesOf(summary)).toHaveLength(1); // the picture fits: the texts are shortened first
    const summaryBytes = Buffer.byteLength(
      JSON.stringify({ type: 'message', attachments: [cardAttachment(summary as any)] }),
    );
    expect(summaryBytes).toBeLessThan(TEAMS_MESSAGE_LIMIT);
    // The channel's summary card with 20 marks and the picture, too.
    const effect = run.effects.find((e) => e.type === 'incident_summary') as Extract<
      Effect,
      { type: 'incident_summary' }
    >;
    const channel = photoSummaryCardData(effect, run.state);
    expect(channel.image?.url).toBe(image.url);
    process.stdout.write(
      `body map, 20 marks on 4 views: picture ${png.length} B (${png.readUInt32BE(16)}×${png.readUInt32BE(20)}), marking card ${markingBytes} B, summary card ${summaryBytes} B\n`,
    );
  });
});

describe('older body-map records (flow 1) still read and validate', () => {
  const old = {
    marks: [
      {
        view: 'front',
        region: 'left_forearm',
        type: 'bruise',
        sizeCm: 3,
        colour: 'purple',
        description: 'Round bruise',
      },
    ],
    flowVersion: '1',
    walkthroughId: '7e2d4a1b-5c6d-4e7f-8a9b-0c1d2e3f4a5b',
  };
  it('accepts a flow-1 body map as it was stored', () => {
    expect(RECORD_KINDS.body_map.fields.safeParse(old).success).toBe(true);
  });
  it('refuses a map mixing old and new marks, a new mark without its fields, or a new map without outline and role', () => {
    const v2 = {
      view: 'left',
      region: 'left_hip',
      type: 'bruise',
      lengthCm: 2,
      widthCm: 1,
      shape: 'round',
      colour: 'blue',
      skinBroken: 'no',
      swelling: 'no',
      bleeding: 'no',
      explanation: 'none',
      markedAt: NOW.toISOString(),
    };
    const parse = (f: object) => RECORD_KINDS.body_map.fields.safeParse(f).success;
    expect(parse({ marks: [v2], ageBand: 'adult', recorderRole: 'Support worker' })).toBe(true);
    expect(parse({ marks: [v2, old.marks[0]], ageBand: 'adult', recorderRole: 'Support worker' })).toBe(false);
    expect(parse({ marks: [v2] })).toBe(false);
    expect(parse({ marks: [{ ...v2, widthCm: 3 }], ageBand: 'adult', recorderRole: 'x' })).toBe(false);
    expect(parse({ marks: [{ ...v2, view: 'left', region: 'right_hip' }], ageBand: 'adult', recorderRole: 'x' })).toBe(
      false,
    );
    expect(parse({ marks: [{ ...v2, explanation: 'the_person' }], ageBand: 'adult', recorderRole: 'x' })).toBe(false);
    expect(parse({ marks: [{ ...old.marks[0], view: 'left' }] })).toBe(false); // flow 1 had front and back only
  });
});
