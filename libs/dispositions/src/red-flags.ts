/**
 * Escalation screening (DOMAIN.md §7, reference protocols 000–002): remarks that mention legal
 * action, complaints, social media, money trouble, the CEO, threats, or ask not to be contacted
 * go to a manager; so does a patient reached 3+ times without a resolution.
 *
 * Matching is on whole words, case-insensitive, with apostrophes optional (don't = dont = don’t),
 * dots allowed inside a one-word acronym (C.E.O.), and hyphens, slashes or quotes between the
 * words of a phrase. The last word of a phrase also matches its common inflections (sue → sued,
 * suing; scam → scammer; attorney → attorneys), never a longer word (court ≠ courtesy).
 * Sentence punctuation ends a phrase: "…told him to stop. Calling back" is not "stop calling".
 */

export const RED_FLAG_CATEGORIES = [
  'legal',
  'complaint',
  'social',
  'financial',
  'executive',
  'threat',
  'do_not_contact',
] as const;
export type RedFlagCategory = (typeof RED_FLAG_CATEGORIES)[number];

export interface RedFlagLists {
  phrases: Readonly<Record<RedFlagCategory, readonly string[]>>;
  /** Phrases that cancel a match they cover ("power of attorney", "chief complaint"). */
  except: readonly string[];
  /** One-word phrases that are also given names ("Sue"): written as a name, they are read as one. */
  givenNames: readonly string[];
}

export interface RedFlag {
  category: RedFlagCategory;
  /** The listed phrase that matched. */
  phrase: string;
  /** The words as written in the remarks. */
  match: string;
  /** About 60 characters of the remarks around the match. */
  excerpt: string;
}

export interface ScreenResult {
  flags: RedFlag[];
}

const TIME_QUALIFIERS = ['before', 'after', 'until', 'till', 'between', 'at work', 'on weekends', 'during'];

export const DEFAULT_RED_FLAGS: RedFlagLists = {
  phrases: {
    legal: [
      'legal action',
      'take legal',
      'legal counsel',
      'legal team',
      'legal department',
      'attorney',
      'attorney general',
      'lawyer',
      'law firm',
      'lawsuit',
      'class action',
      'court',
      'small claims',
      'subpoena',
      'state law',
      'federal law',
      'against the law',
      'illegal',
      'hipaa violation',
      'violated hipaa',
      'my rights',
    ],
    complaint: [
      'file a complaint',
      'complaint',
      'complain',
      'grievance',
      'bbb',
      'better business bureau',
      'medical board',
      'state board',
      'department of health',
      'office for civil rights',
      'ombudsman',
      'harass',
      'harassment',
    ],
    social: [
      'social media',
      'facebook',
      'instagram',
      'twitter',
      'tweet',
      'post on x',
      'tiktok',
      'yelp',
      'google review',
      'online review',
      'bad review',
      'negative review',
      'one star review',
      '1 star review',
      'nextdoor',
      'reddit',
      'go public',
      'local news',
      'news station',
    ],
    financial: [
      'bankruptcy',
      'bankrupt',
      'chapter 7',
      'chapter 11',
      'chapter 13',
      'fraud',
      'fraudulent',
      'scam',
      'rip off',
      'ripoff',
      'identity theft',
      'collection agency',
      'sent to collections',
      'overcharged',
      'chargeback',
    ],
    executive: [
      'ceo',
      'chief executive',
      'company president',
      'president of the company',
      'board of directors',
      'executive office',
      'corporate office',
    ],
    threat: [
      'sue',
      'report you',
      'report this office',
      'report your office',
      'report the office',
      'report this practice',
      'report your practice',
      'report the practice',
      'report your clinic',
      'press charges',
      'call the police',
      'threaten',
      'you will regret',
      "you'll regret",
      'get you fired',
      'have you fired',
    ],
    do_not_contact: [
      'do not call',
      "don't call me",
      "don't call again",
      "don't call here",
      "don't call this number",
      "don't ever call",
      'never call me',
      'never call again',
      'never call here',
      'do not contact',
      "don't contact",
      'never contact me',
      'stop calling',
      'quit calling',
      'stop contacting',
      'stop bothering',
      'take me off your',
      'take me off the list',
      'take me off this list',
      'take my name off',
      'take my number off',
      'remove me from',
      'remove my name',
      'remove my number',
      'lose my number',
      'leave me alone',
      'no more calls',
      'opt out',
      'unsubscribe',
      'do not want to be contacted',
      "don't want to be contacted",
      'no longer wish to be contacted',
    ],
  },
  except: [
    'power of attorney',
    'chief complaint',
    'complaint of',
    'complain of',
    'no complaint',
    'food court',
    'tennis court',
    'basketball court',
    // "Do not call before 10", "don't call me at work": a preference about when, not a request to stop.
    ...['do not call', 'do not call me', "don't call", "don't call me"].flatMap((start) =>
      TIME_QUALIFIERS.map((when) => `${start} ${when}`),
    ),
  ],
  givenNames: ['sue'],
};

/** A practice's lists: the defaults with phrases added, removed (any category) and more exceptions. */
export function customizeRedFlags(
  base: RedFlagLists,
  changes: {
    add?: Partial<Record<RedFlagCategory, readonly string[]>>;
    remove?: readonly string[];
    except?: readonly string[];
  },
): RedFlagLists {
  const removed = new Set((changes.remove ?? []).map(canonical));
  const phrases = Object.fromEntries(
    RED_FLAG_CATEGORIES.map((category) => {
      const all = [...base.phrases[category], ...(changes.add?.[category] ?? [])];
      const kept = all.filter(
        (p, i) => !removed.has(canonical(p)) && all.findIndex((q) => canonical(q) === canonical(p)) === i,
      );
      return [category, kept];
    }),
  ) as Record<RedFlagCategory, string[]>;
  return { phrases, except: [...base.except, ...(changes.except ?? [])], givenNames: base.givenNames };
}

export function screenRemarks(
  text: string | null | undefined,
  lists: RedFlagLists = DEFAULT_RED_FLAGS,
): ScreenResult {
  if (!text) return { flags: [] };
  const compiled = compile(lists);
  const normal = normalize(text);
  const excepted: Span[] = [];
  for (const re of compiled.except) for (const m of normal.matchAll(re)) excepted.push(span(m));

  const found: (Span & { category: RedFlagCategory; phrase: string })[] = [];
  for (const { category, phrase, re, nameLike } of compiled.phrases) {
    for (const m of normal.matchAll(re)) {
      const s = span(m);
      if (excepted.some((e) => e.start <= s.start && s.end <= e.end)) continue;
      if (nameLike && readsAsName(text, s)) continue;
      found.push({ ...s, category, phrase });
    }
  }
  // Within a category the longest phrase wins ("file a complaint" over "complaint"); one flag per phrase.
  const kept = found.filter(
    (f) =>
      !found.some(
        (g) =>
          g !== f &&
          g.category === f.category &&
          g.start <= f.start &&
          f.end <= g.end &&
          g.end - g.start > f.end - f.start,
      ),
  );
  kept.sort((a, b) => a.start - b.start || b.end - a.end);
  const seen = new Set<string>();
  const flags: RedFlag[] = [];
  for (const f of kept) {
    const id = `${f.category}\u0000${f.phrase}`;
    if (seen.has(id)) continue;
    seen.add(id);
    flags.push({
      category: f.category,
      phrase: f.phrase,
      match: text.slice(f.start, f.end),
      excerpt: excerpt(text, f),
    });
  }
  return { flags };
}

export interface RepeatedContactFlag {
  category: 'repeated_contact';
  count: number;
  message: string;
}

/** A patient reached `threshold` (3) or more times in a campaign without a resolution is escalated. */
export function repeatedContactFlag(
  contactsWithoutResolution: number,
  threshold = 3,
): RepeatedContactFlag | null {
  if (!(contactsWithoutResolution >= threshold)) return null;
  return {
    category: 'repeated_contact',
    count: contactsWithoutResolution,
    message: `reached ${contactsWithoutResolution} times in this campaign without a resolution`,
  };
}

interface Span {
  start: number;
  end: number;
}
interface CompiledLists {
  phrases: { category: RedFlagCategory; phrase: string; re: RegExp; nameLike: boolean }[];
  except: RegExp[];
}

const cache = new WeakMap<RedFlagLists, CompiledLists>();

function compile(lists: RedFlagLists): CompiledLists {
  let compiled = cache.get(lists);
  if (compiled) return compiled;
  const names = new Set(lists.givenNames.map(canonical));
  compiled = {
    phrases: RED_FLAG_CATEGORIES.flatMap((category) =>
      lists.phrases[category].flatMap((phrase) => {
        const re = phraseRegExp(phrase, false);
        return re ? [{ category, phrase, re, nameLike: names.has(canonical(phrase)) }] : [];
      }),
    ),
    except: lists.except.flatMap((phrase) => phraseRegExp(phrase, true) ?? []),
  };
  cache.set(lists, compiled);
  return compiled;
}

/** Same length as the input, so match offsets point into the original text. */
function normalize(text: string): string {
  return text
    .replace(/[\u2018\u2019\u02bc\u0060\u00b4\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201e]/g, '"')
    .replace(/[\u2010\u2011\u2013\u2014]/g, '-')
    .replace(/\u00a0/g, ' ');
}

function canonical(phrase: string): string {
  return words(phrase).join(' ');
}

function words(phrase: string): string[] {
  return normalize(phrase)
    .toLowerCase()
    .split(/[\s\-_/"()*]+/)
    .map((w) => w.replace(/[^\p{L}\p{N}]/gu, ''))
    .filter(Boolean);
}

const SEPARATOR = String.raw`[\s\-_/"()*]+`;
const BEFORE = String.raw`(?<![\p{L}\p{N}]|[\p{L}\p{N}]-)`;
const AFTER = String.raw`(?![\p{L}\p{N}]|-[\p{L}\p{N}])`;

/** Flag phrases inflect their last word; exceptions every word ("complains of", "chief complaints"). */
function phraseRegExp(phrase: string, inflectAll: boolean): RegExp | null {
  const ws = words(phrase);
  if (!ws.length) return null;
  const acronym = ws.length === 1 && /^\p{L}{2,4}$/u.test(ws[0]);
  const parts = ws.map((w, i) => wordPattern(w, inflectAll || i === ws.length - 1, acronym ? "[.']?" : "'?"));
  return new RegExp(BEFORE + parts.join(SEPARATOR) + AFTER, 'giu');
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A word with optional apostrophes between its letters and, if last in its phrase, its inflections. */
function wordPattern(word: string, inflect: boolean, between: string): string {
  const spell = (s: string) => [...s].map(escape).join(between);
  if (!inflect || word.length < 3 || !/^[a-z]+$/.test(word)) return spell(word);
  const forms = [`${spell(word)}(?:s|es|ed|ing|er|ers)?`];
  const last = word[word.length - 1];
  if (last === 'e') forms.push(`${spell(word)}(?:s|d|r|rs)?`, `${spell(word.slice(0, -1))}ing`);
  if (last === 'y' && !/[aeiou]/.test(word[word.length - 2]))
    forms.push(`${spell(word.slice(0, -1))}(?:ies|ied)`);
  if (/[^aeiou][aeiou][^aeiouwxy]$/.test(word)) forms.push(`${spell(word)}${last}(?:ed|ing|er|ers)`);
  return `(?:${forms.join('|')})`;
}

function span(m: RegExpMatchArray): Span {
  return { start: m.index!, end: m.index! + m[0].length };
}

/** "Sue" written as a name: capitalised mid-sentence, or followed by a capitalised word (a surname). */
function readsAsName(text: string, s: Span): boolean {
  const word = text.slice(s.start, s.end);
  if (!/^\p{Lu}\p{Ll}+$/u.test(word)) return false;
  const before = text.slice(0, s.start).trimEnd();
  const sentenceStart = before === '' || /[.!?:;\n]$/.test(before);
  return !sentenceStart || /^[\s,]*\p{Lu}\p{Ll}/u.test(text.slice(s.end));
}

const EXCERPT = 60;

function excerpt(text: string, s: Span): string {
  const pad = Math.max(10, Math.floor((EXCERPT - (s.end - s.start)) / 2));
  let start = Math.max(0, s.start - pad);
  let end = Math.min(text.length, s.end + pad);
  // Cut at word boundaries, never inside the match.
  if (start > 0) {
    const space = text.slice(start, s.start).search(/\s/);
    if (space >= 0) start += space + 1;
  }
  if (end < text.length) {
    const tail = text.slice(s.end, end);
    const space = tail.search(/\s\S*$/);
    if (space >= 0) end = s.end + space;
  }
  const body = text.slice(start, end).replace(/\s+/g, ' ').trim();
  return `${start > 0 ? '…' : ''}${body}${end < text.length ? '…' : ''}`;
}
