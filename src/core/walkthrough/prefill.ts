/**
 * First answers guessed from the question that started a walkthrough ("there are bruises on the child, can I
 * take a photo?" → a child, a possible physical injury). Only what the words plainly say; the worker sees the
 * choices ticked on the first card and can change them. Nothing is guessed for an adult: "mum" or "client"
 * says nothing about who was hurt.
 */
const CHILD =
  /\b(child|children|kids?|baby|babies|toddlers?|infants?|newborns?|boy|girl|teen(ager)?s?|youngsters?|young person|son|daughter|pupils?|under[- ]?18s?|\d{1,2}[- ]?(year|yr)s?[- ]?old)\b/i;
const NEGLECT = /\bneglect(ed|ful)?\b|\bunkempt\b|\bmalnourish(ed)?\b|\bsoiled\b|\bfilthy\b/i;
const ABUSE =
  /\babuse[ds]?\b|\babusive\b|\bhit(ting)?\b|\bbeat(en|ing)?\b|\bslapp(ed|ing)\b|\bpunch(ed|ing)?\b|\bkick(ed|ing)?\b|\bgrip marks?\b|\bfinger ?marks?\b/i;
const INJURY =
  /\b(bruis\w*|injur\w*|cuts?|wounds?|burns?|burnt|scald\w*|marks?|swell\w*|swollen|welts?|scratch\w*|grazes?|black eye|bleed\w*|blood\w*)\b/i;

export function prefillFromQuestion(question: string): Record<string, string> {
  const q = question.replace(/\s+/g, ' ');
  const out: Record<string, string> = {};
  if (CHILD.test(q)) out.personType = 'child';
  if (NEGLECT.test(q)) out.concern = 'signs_of_neglect';
  else if (ABUSE.test(q)) out.concern = 'signs_of_abuse';
  else if (INJURY.test(q)) out.concern = 'physical_injury';
  return out;
}
