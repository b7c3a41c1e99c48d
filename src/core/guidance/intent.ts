/**
 * The intent router: what does the worker want? It works on meaning-bearing words (cue lists in
 * content/vocabulary.json, stemmed, matched as words or short phrases, in the words as typed and after slang
 * expansion) and on how they co-occur — never on whole sentences.
 */
import type { Vocabulary } from './content';
import type { AnalysedQuery } from './types';
import { stemWord, words } from './text';

/** A list of cue words or phrases, matched on stems so "photos", "photograph" and "photographing" agree. */
export class CueList {
  private readonly phrases: string[][];
  constructor(cues: string[]) {
    this.phrases = cues.map((c) => (c.trim() === '?' ? ['?'] : words(c).map(stemWord))).filter((p) => p.length > 0);
  }

  /** Number of distinct cues found in any of the given stem sequences. */
  count(sequences: string[][]): number {
    let n = 0;
    for (const phrase of this.phrases) {
      if (sequences.some((seq) => containsPhrase(seq, phrase))) n++;
    }
    return n;
  }

  has(sequences: string[][]): boolean {
    return this.count(sequences) > 0;
  }

  /** True when a cue occurs that is not preceded by one of the given words ("a mum" but not "my mum"). */
  hasUnowned(seq: string[], owners: string[]): boolean {
    return this.phrases.some((phrase) => {
      for (let i = 0; i + phrase.length <= seq.length; i++) {
        if (phrase.every((w, j) => seq[i + j] === w) && !(i > 0 && owners.includes(seq[i - 1]))) return true;
      }
      return false;
    });
  }

  /** True when every word of the sequence is one of the (single-word) cues. */
  coversAll(sequence: string[]): boolean {
    const single = new Set(this.phrases.filter((p) => p.length === 1).map((p) => p[0]));
    return sequence.length > 0 && sequence.every((w) => single.has(w));
  }
}

function containsPhrase(seq: string[], phrase: string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= seq.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (seq[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

export type RoutedIntent =
  | { kind: 'greeting' | 'help' | 'topics' | 'out_of_scope' }
  | { kind: 'injury_photo' }
  | { kind: 'report_incident'; section?: string }
  | { kind: 'search' };

/** A manager's say-so about taking photos is the 2.3.2 rule, whatever else the question says. */
const ADVICE_WORDS = ['said', 'told', 'advised', 'advice', 'take', 'taking', 'record', 'allowed'].map(stemWord);
/** Words that make a family word the worker's own ("my mum"), not a service user's family. */
const OWNERS = ['my', 'our', 'mine'];
/**
 * Where a contact request from a service user or their family is answered: 2.2 "Connect wisely" (the section about
 * accepting requests; its first related section is 2.5, contact only through work, and the report card tells the
 * worker to tell their line manager).
 */
const CONTACT_SECTION = '2.2';
/** A hacked or taken-over account: 2.1 (passwords, "avoid someone hacking into your account"). */
const TAKEOVER_SECTION = '2.1';
/** Untrue, abusive or upsetting posts about the worker: 1 (the introduction names them; managers may act). */
const AIMED_AT_ME_SECTION = '1';
/** A fake profile, contact on the worker's own number, anything else to report: 2.5 (report it, write it down). */
const REPORT_SECTION = '2.5';
/** Something of the worker's put online that they want taken down: 2.4 (review content: ask for removal). */
const REMOVAL_SECTION = '2.4';
const PLATFORMS = ['facebook', 'instagram', 'twitter', 'tiktok', 'snapchat', 'linkedin', 'whatsapp'];

/** Core words that make a short message a command rather than filler. */
const HELP_CORE = ['help', 'work', 'use', 'command', 'instruct', 'for', 'do', 'type', '?'].map(stemWord);
const TOPIC_CORE = ['topics', 'topic', 'menu', 'list', 'contents', 'sections', 'cover', 'covered', 'options', 'subjects', 'subject', 'areas', 'index', 'about', 'everything'].map(stemWord);

export class IntentRouter {
  private readonly cue: Record<keyof Vocabulary['intents'], CueList>;
  private readonly domain: CueList;
  /** domainTerms without genericDomainTerms: words that make a message about social media on their own. */
  private readonly strongDomain: CueList;
  private readonly stop: Set<string>;

  constructor(vocab: Vocabulary) {
    this.stop = new Set(vocab.stopwords.flatMap((w) => words(w)).map(stemWord));
    this.cue = Object.fromEntries(Object.entries(vocab.intents).map(([k, v]) => [k, new CueList(v)])) as Record<
      keyof Vocabulary['intents'],
      CueList
    >;
    this.domain = new CueList(vocab.domainTerms);
    const weak = new Set(vocab.genericDomainTerms.map((w) => words(w).join(' ')));
    this.strongDomain = new CueList(vocab.domainTerms.filter((w) => !weak.has(words(w).join(' '))));
  }

  /** True when the question is about social media or online life at all. */
  isAboutSocialMedia(q: AnalysedQuery): boolean {
    return this.domain.has(this.sequences(q));
  }

  private sequences(q: AnalysedQuery): string[][] {
    return [q.raw.map(stemWord), q.expanded.map(stemWord)];
  }

  route(q: AnalysedQuery): RoutedIntent {
    const raw = q.raw.map(stemWord);
    const seqs = this.sequences(q);
    if (raw.length === 0) return { kind: 'help' };

    // Short conversational messages: every meaning-bearing word is a greeting, help or topics word.
    if (raw.length <= 8) {
      if (this.cue.greeting.coversAll(raw)) return { kind: 'greeting' };
      const content = raw.filter((w) => !this.stop.has(w));
      if (content.every((w) => this.cue.topics.coversAll([w]) || this.cue.help.coversAll([w])) && raw.some((w) => TOPIC_CORE.includes(w))) {
        return { kind: 'topics' };
      }
      if (content.every((w) => this.cue.help.coversAll([w])) && raw.some((w) => HELP_CORE.includes(w))) return { kind: 'help' };
    }

    // Injuries or signs of abuse or neglect seen at work (section 2.3.2's photo rule).
    const strongInjury = this.cue.injuryStrong.has(seqs);
    const abuseSeen = this.cue.injury.has(seqs) && this.cue.abuseContext.has(seqs);
    const photo = this.cue.photo.has(seqs);
    const evidencePhoto = photo && this.cue.photoEvidence.has(seqs);
    const photoOnAdvice = photo && raw.includes(stemWord('manager')) && ADVICE_WORDS.some((w) => raw.includes(w));
    if (strongInjury || abuseSeen || evidencePhoto || photoOnAdvice) return { kind: 'injury_photo' };

    // Something that happened and needs reporting: harm aimed at the worker, a hacked or faked account, a breach,
    // contact from a service user or their family. Whether it is an incident and which section answers it are
    // decided separately, so "I want to report a hacked account" and "my account got hacked" agree.
    const aboutSocialMedia = this.isAboutSocialMedia(q);
    const prevention = this.cue.prevention.has(seqs);
    const takeover = this.cue.accountTakeover.has(seqs);
    const fromClientOrFamily = this.cue.clientOrFamily.has(seqs) || this.cue.familyMember.hasUnowned(raw, OWNERS);
    const harmFromClient = this.cue.harm.has([raw]) && fromClientOrFamily;
    const aimedAtMe = this.cue.aimedAtMe.has(seqs) || (this.cue.harm.has([raw]) && this.cue.selfRef.has([raw])) || harmFromClient;
    const impersonation = this.cue.impersonation.has(seqs);
    const contactFromClient = this.cue.contactRequest.has([raw]) && fromClientOrFamily;
    const personalContact = this.cue.personalContact.has([raw]) && fromClientOrFamily;
    // A photo or video of the worker, their home or children, put online by someone from work.
    const postedOfMe = this.cue.postedOfMe.has([raw]) && this.cue.postVerb.has([raw]) && (fromClientOrFamily || this.cue.workContext.has([raw]));
    const removal = this.cue.removal.has([raw]);
    const section = takeover
      ? TAKEOVER_SECTION
      : impersonation
        ? REPORT_SECTION
        : postedOfMe
          ? removal
            ? REMOVAL_SECTION
            : AIMED_AT_ME_SECTION
          : aimedAtMe
            ? AIMED_AT_ME_SECTION
            : personalContact
              ? REPORT_SECTION
              : contactFromClient
                ? CONTACT_SECTION
                : undefined;
    // "Post my timesheet", "share my screen": post and share a thing that is not social media (offlineObjects), with no
    // word that is about social media on its own, are ordinary work.
    const offline = this.cue.offlineObjects.has(seqs) && !this.strongDomain.has(seqs);
    // "Who do I report a broken pool car to": reporting something that is not about social media is not an incident here.
    const otherWorkMatter = offline || (this.cue.outOfScope.has(seqs) && !aboutSocialMedia);
    const incident = this.cue.incident.has(seqs);
    if (this.cue.report.has(seqs) && !this.cue.reportTask.has(seqs) && !otherWorkMatter) return { kind: 'report_incident', section };
    // Work matters outside the guidance (leave, pay, IT log-ins...) unless the question names a social network.
    // A breach of the IT rules on a work system is 2.5's business (tell your manager), not an IT question.
    // Nor is a service user ringing the worker's own phone, or anything else people did to the worker, a phone-system
    // question (a locked work laptop still is).
    const byPeople = personalContact || contactFromClient || aimedAtMe || impersonation || postedOfMe;
    if (this.cue.workSystems.has(seqs) && !incident && !byPeople && !PLATFORMS.some((p) => q.expanded.includes(p))) return { kind: 'out_of_scope' };
    // "If a family posts lies about me…", "should i accept": asking what to do, not telling of something to report.
    const hypothetical = this.cue.hypothetical.has([raw]) && !this.cue.whatNow.has([raw]);
    if (!prevention && !hypothetical && (section || incident)) return { kind: 'report_incident', section };
    if (otherWorkMatter) return { kind: 'out_of_scope' };
    return { kind: 'search' };
  }
}
