/**
 * A seeded, realistic and messy EMR patients export, streamed to disk in constant memory.
 *   node dist/bench/generate-export.js --rows 1000000 [--seed 42] [--bom] --out patients.csv
 *
 * The same (rows, seed) always gives the same bytes. The file is RFC 4180 CSV (UTF-8, CRLF, quoted
 * fields where needed), so `psql \copy … WITH (FORMAT csv, HEADER true)` into an all-text table
 * loads it; the mess is in the values: date and phone notations, accents, ZIPs that lost their
 * leading zero, state names, invalid phones, repeated and missing patient ids.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';

export const EXPORT_HEADERS = [
  'Patient ID',
  'Last Name',
  'First Name',
  'Middle',
  'DOB',
  'Sex',
  'Home Phone',
  'Cell Phone',
  'Work Phone',
  'Email',
  'Address',
  'City',
  'State',
  'Zip',
  'Provider',
  'Location',
  'Last Visit',
  'Next Appt',
  'Deceased',
] as const;

export interface GenerateOptions {
  rows: number;
  seed?: number;
  /** Share of rows repeating an earlier patient id (default 0.01). */
  repeats?: number;
  /** Start the file with a UTF-8 byte-order mark (Excel's "CSV UTF-8"). Default false. */
  bom?: boolean;
}

export interface GenerateResult {
  path: string;
  rows: number;
  bytes: number;
  /** Rows repeating an earlier patient id. */
  repeatedIds: number;
  /** Rows with an empty patient id (the importer rejects them). */
  emptyIds: number;
  /** Records holding a line break inside a quoted field. */
  multiline: number;
  seconds: number;
}

/** Small, fast, seedable PRNG (mulberry32); state is one 32-bit integer. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  reseed(seed: number): void {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }

  /** Skewed towards the start of the list (common names first). */
  pickSkewed<T>(list: readonly T[]): T {
    return list[Math.floor(list.length * Math.pow(this.next(), 1.35))];
  }
}

/** 32-bit mix of two integers (for per-patient seeds). */
function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x27d4eb2f, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

// ---------------------------------------------------------------------------------------------------
// Vocabulary.

/** Comma-separated words (line breaks allowed) → list. */
function list(text: string): string[] {
  return text
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);
}

const MALE_FIRST = list(`
  James, John, Robert, Michael, William, David, Richard, Joseph, Thomas, Charles, Christopher, Daniel,
  Matthew, Anthony, Mark, Donald, Steven, Paul, Andrew, Joshua, Kenneth, Kevin, Brian, George,
  Timothy, Ronald, Edward, Jason, Jeffrey, Ryan, Jacob, Gary, Nicholas, Eric, Jonathan, Stephen,
  Larry, Justin, Scott, Brandon, Benjamin, Samuel, Gregory, Alexander, Frank, Patrick, Raymond, Jack,
  Dennis, Jerry, Tyler, Aaron, José, Adam, Nathan, Henry, Douglas, Zachary, Peter, Kyle, Ethan,
  Walter, Noah, Jeremy, Christian, Keith, Roger, Terry, Gerald, Harold, Sean, Austin, Carl, Arthur,
  Lawrence, Dylan, Jesse, Jordan, Bryan, Billy, Joe, Bruce, Gabriel, Logan, Albert, Willie, Alan,
  Juan, Wayne, Elijah, Randy, Roy, Vincent, Ralph, Eugene, Russell, Bobby, Mason, Philip, Louis, Luis,
  Carlos, Jesús, Miguel, Ángel, François, Søren, Jürgen, Björn, Nguyễn Văn, Wei, Hiroshi, Mohammed,
  Ahmed, Olumide, Dmitri, Seán, Raúl, Andrés, Nikolás, Émile, Zoltán, Ömer, Tomás
`);
const FEMALE_FIRST = list(`
  Mary, Patricia, Jennifer, Linda, Elizabeth, Barbara, Susan, Jessica, Sarah, Karen, Lisa, Nancy,
  Betty, Margaret, Sandra, Ashley, Kimberly, Emily, Donna, Michelle, Carol, Amanda, Dorothy, Melissa,
  Deborah, Stephanie, Rebecca, Sharon, Laura, Cynthia, Kathleen, Amy, Angela, Shirley, Anna, Brenda,
  Pamela, Emma, Nicole, Helen, Samantha, Katherine, Christine, Debra, Rachel, Carolyn, Janet,
  Catherine, Maria, Heather, Diane, Ruth, Julie, Olivia, Joyce, Virginia, Victoria, Kelly, Lauren,
  Christina, Joan, Evelyn, Judith, Megan, Andrea, Cheryl, Hannah, Jacqueline, Martha, Gloria, Teresa,
  Ann, Sara, Madison, Frances, Kathryn, Janice, Jean, Abigail, Alice, Judy, Sophia, Grace, Denise,
  Amber, Doris, Marilyn, Danielle, Beverly, Isabella, Theresa, Diana, Natalie, Brittany, Charlotte,
  Marie, Kayla, Alexis, Lori, Zoë, Chloé, Renée, Noémie, Begoña, Inés, María José, Sinéad, Åsa,
  Ingrid, Mei, Yuki, Fatima, Aisha, Chiamaka, Oksana, Małgorzata, Thị Lan, Beyoncé, Zsófia
`);
const LAST = list(`
  Smith, Johnson, Williams, Brown, Jones, Garcia, Miller, Davis, Rodriguez, Martinez, Hernandez,
  Lopez, Gonzalez, Wilson, Anderson, Thomas, Taylor, Moore, Jackson, Martin, Lee, Perez, Thompson,
  White, Harris, Sanchez, Clark, Ramirez, Lewis, Robinson, Walker, Young, Allen, King, Wright, Scott,
  Torres, Nguyen, Hill, Flores, Green, Adams, Nelson, Baker, Hall, Rivera, Campbell, Mitchell, Carter,
  Roberts, Gomez, Phillips, Evans, Turner, Diaz, Parker, Cruz, Edwards, Collins, Reyes, Stewart,
  Morris, Morales, Murphy, Cook, Rogers, Gutierrez, Ortiz, Morgan, Cooper, Peterson, Bailey, Reed,
  Kelly, Howard, Ramos, Kim, Cox, Ward, Richardson, Watson, Brooks, Chavez, Wood, James, Bennett,
  Gray, Mendoza, Ruiz, Hughes, Price, Alvarez, Castillo, Sanders, Patel, Myers, Long, Ross, Foster,
  Jimenez, Powell, Jenkins, Perry, Russell, Sullivan, Bell, Coleman, Butler, Henderson, Barnes,
  Gonzales, Fisher, Vasquez, Simmons, Romero, Jordan, Patterson, Alexander, Hamilton, Graham,
  Reynolds, Griffin, Wallace, Moreno, West, Cole, Hayes, Bryant, Herrera, Gibson, Ellis, Tran, Medina,
  Aguilar, Stevens, Murray, Ford, Castro, Marshall, Owens, Harrison, Fernandez, McDonald, Woods,
  Washington, Kennedy, Wells, Vargas, Henry, Chen, Freeman, Webb, Tucker, Guzman, Burns, Crawford,
  Olson, Simpson, Porter, Hunter, Gordon, Mendez, Silva, Shaw, Snyder, Mason, Dixon, Muñoz, Hunt,
  Hicks, Holmes, Palmer, Wagner, Black, Robertson, Boyd, Rose, Stone, Salazar, Fox, Warren, Mills,
  Meyer, Rice, Schmidt, Garza, Daniels, Ferguson, Nichols, Stephens, Soto, Weaver, Ryan, Gardner,
  Payne, Grant, Dunn, Kelley, Spencer, Hawkins, Arnold, Pierce, Vazquez, Hansen, Peters, Santos, Hart,
  Bradley, Knight, Elliott, Cunningham, Duncan, Armstrong, Hudson, Carroll, Lane, Riley, Andrews,
  Alvarado, Ray, Delgado, Berry, Perkins, Hoffman, Johnston, Matthews, Peña, Richards, Contreras,
  Willis, Carpenter, Lawrence, Sandoval, O'Brien, O'Connor, D'Angelo, Müller, Schröder, Gößmann,
  Nuñez, Ibáñez, García-López, Smith-Jones, van der Berg, de la Cruz, St. Pierre, MacKenzie, Lefèvre,
  Citroën, Ødegaard, Kowalczyk, Wiśniewski, Nakamura, Yamamoto, Nguyễn, Trần, Lê, Papadopoulos,
  Okafor, Adeyemi, Haddad, Khan, Singh, Kaur, Cohen, Levy, Novak, Horváth, Dvořák, Sørensen,
  Jørgensen, Björklund, Çelik, Yılmaz, Ivanov, Petrenko
`);
/**
 * Rarer names, put together from parts, give the long tail real patient lists have (the lists
 * above alone would make every name far too common for duplicate detection).
 */
const SURNAME_HEADS = list(`
  Ander, Bal, Bran, Cal, Dal, Ed, Fair, Gar, Hal, Hol, Kin, Lind, Mar, Mor, Nor, Ost, Pem, Ran, Stan,
  Thorn, Wal, Wester, Whit, Ash, Black, Brook, Cort, Fitz, Gold, Haw, Kel, Lang, Mc, Mac, Kow, Nowa,
  Petr, Vas, Bel, Gal, Mont, Ros, Sil, Ber, Car, Fer, Gon, Mel, Ol, Pat
`);
const SURNAME_LINKS = ['', 'a', 'e', 'i', 'o', 'er', 'en', 'an', 'el', 'in', 'ar', 'ov', 'ow', 'and', 'ing'];
const SURNAME_TAILS = list(`
  son, sen, ton, ley, ford, wood, field, man, berg, stein, ski, ska, enko, ovich, ez, es, ini, etti,
  elli, ard, ier, eau, ham, by, well, more, land, dale, ridge, quist, ström, gaard, sky, ák, ović
`);
const GIVEN_HEADS = list(`Ja, Ka, Ma, Da, Ra, Li, Ta, Bri, Jo, Ni, Ro, Sa, Ke, Ly, Ari, Ze, El, Ev, Ad, Ay`);
const GIVEN_TAILS = list(
  `den, son, lyn, ra, na, ley, ton, mir, ris, lani, nah, dan, en, ia, yn, iel, o, ius, elle, ée`,
);

const SUFFIXES = ['Jr', 'Jr.', 'Sr', 'II', 'III', 'IV'];
const NICKNAMES: Record<string, string> = {
  Robert: 'Bob',
  William: 'Bill',
  Elizabeth: 'Liz',
  Margaret: 'Peggy',
  Richard: 'Dick',
  James: 'Jim',
  Katherine: 'Kate',
  Joseph: 'Joe',
  Patricia: 'Pat',
  Thomas: 'Tom',
  Michael: 'Mike',
  Jennifer: 'Jen',
};

/** City, state code, state name, a ZIP of the city, area codes. Leading-zero ZIPs are over-weighted. */
const CITIES: readonly (readonly [string, string, string, string, readonly string[], number])[] = [
  ['Medford', 'MA', 'Massachusetts', '02155', ['781', '339'], 4],
  ['Boston', 'MA', 'Massachusetts', '02118', ['617', '857'], 5],
  ['Worcester', 'MA', 'Massachusetts', '01604', ['508', '774'], 3],
  ['Providence', 'RI', 'Rhode Island', '02903', ['401'], 3],
  ['Hartford', 'CT', 'Connecticut', '06103', ['860', '959'], 3],
  ['New Haven', 'CT', 'Connecticut', '06511', ['203', '475'], 2],
  ['Hoboken', 'NJ', 'New Jersey', '07030', ['201', '551'], 3],
  ['Newark', 'NJ', 'New Jersey', '07102', ['973', '862'], 3],
  ['Trenton', 'NJ', 'New Jersey', '08608', ['609', '640'], 2],
  ['Manchester', 'NH', 'New Hampshire', '03101', ['603'], 2],
  ['Portland', 'ME', 'Maine', '04101', ['207'], 2],
  ['Burlington', 'VT', 'Vermont', '05401', ['802'], 1],
  ['San Juan', 'PR', 'Puerto Rico', '00901', ['787', '939'], 1],
  ['New York', 'NY', 'New York', '10025', ['212', '646', '917'], 6],
  ['Brooklyn', 'NY', 'New York', '11215', ['718', '347', '929'], 5],
  ['Buffalo', 'NY', 'New York', '14201', ['716'], 2],
  ['Philadelphia', 'PA', 'Pennsylvania', '19103', ['215', '267'], 4],
  ['Pittsburgh', 'PA', 'Pennsylvania', '15213', ['412', '878'], 2],
  ['Baltimore', 'MD', 'Maryland', '21201', ['410', '443'], 2],
  ['Washington', 'DC', 'District of Columbia', '20009', ['202'], 2],
  ['Richmond', 'VA', 'Virginia', '23220', ['804'], 2],
  ['Charlotte', 'NC', 'North Carolina', '28202', ['704', '980'], 2],
  ['Atlanta', 'GA', 'Georgia', '30303', ['404', '678', '470'], 3],
  ['Miami', 'FL', 'Florida', '33130', ['305', '786'], 3],
  ['Orlando', 'FL', 'Florida', '32801', ['407', '321'], 2],
  ['Tampa', 'FL', 'Florida', '33602', ['813'], 2],
  ['Nashville', 'TN', 'Tennessee', '37203', ['615', '629'], 2],
  ['Chicago', 'IL', 'Illinois', '60614', ['312', '773', '872'], 5],
  ['Detroit', 'MI', 'Michigan', '48201', ['313'], 2],
  ['Columbus', 'OH', 'Ohio', '43215', ['614', '380'], 2],
  ['Indianapolis', 'IN', 'Indiana', '46204', ['317', '463'], 2],
  ['Milwaukee', 'WI', 'Wisconsin', '53202', ['414'], 1],
  ['Minneapolis', 'MN', 'Minnesota', '55401', ['612'], 2],
  ['St. Louis', 'MO', 'Missouri', '63101', ['314'], 2],
  ['New Orleans', 'LA', 'Louisiana', '70112', ['504'], 1],
  ['Houston', 'TX', 'Texas', '77002', ['713', '281', '832'], 5],
  ['Dallas', 'TX', 'Texas', '75201', ['214', '469', '972'], 4],
  ['San Antonio', 'TX', 'Texas', '78205', ['210', '726'], 3],
  ['El Paso', 'TX', 'Texas', '79901', ['915'], 1],
  ['Denver', 'CO', 'Colorado', '80202', ['303', '720'], 2],
  ['Phoenix', 'AZ', 'Arizona', '85004', ['602', '480', '623'], 3],
  ['Albuquerque', 'NM', 'New Mexico', '87102', ['505'], 1],
  ['Salt Lake City', 'UT', 'Utah', '84101', ['801', '385'], 1],
  ['Las Vegas', 'NV', 'Nevada', '89101', ['702', '725'], 2],
  ['Los Angeles', 'CA', 'California', '90012', ['213', '323', '310'], 6],
  ['San Diego', 'CA', 'California', '92101', ['619', '858'], 4],
  ['San Francisco', 'CA', 'California', '94103', ['415', '628'], 3],
  ['Sacramento', 'CA', 'California', '95814', ['916', '279'], 2],
  ['Portland', 'OR', 'Oregon', '97201', ['503', '971'], 2],
  ['Seattle', 'WA', 'Washington', '98101', ['206', '253', '425'], 3],
  ['Anchorage', 'AK', 'Alaska', '99501', ['907'], 1],
  ['Honolulu', 'HI', 'Hawaii', '96813', ['808'], 1],
];
const CITY_WEIGHTS = (() => {
  const out: number[] = [];
  CITIES.forEach((c, i) => {
    for (let k = 0; k < c[5]; k++) out.push(i);
  });
  return out;
})();
const AP_STATE: Record<string, string> = {
  MA: 'Mass.',
  CT: 'Conn.',
  NJ: 'N.J.',
  NY: 'N.Y.',
  PA: 'Penn.',
  CA: 'Calif.',
  TX: 'Tex.',
  FL: 'Fla.',
  IL: 'Ill.',
  MI: 'Mich.',
  WA: 'Wash.',
  CO: 'Colo.',
  AZ: 'Ariz.',
  GA: 'Ga.',
  MD: 'Md.',
  VA: 'Va.',
};
const STREETS = list(`
  Main, Oak, Pine, Maple, Cedar, Elm, Washington, Lake, Hill, Park, Walnut, Sunset, Lincoln, Church,
  Highland, Jefferson, Madison, Spring, Ridge, Mill, River, Chestnut, Franklin, Center, Broad, Market,
  Water, Union, High, Prospect, Grove, Peña, Rue Saint-Denis, Martin Luther King Jr, César Chávez,
  O'Farrell, Champs-Élysées
`);
const STREET_TYPES = ['St', 'St.', 'Ave', 'Avenue', 'Rd', 'Road', 'Blvd', 'Dr', 'Ln', 'Ct', 'Way', 'Pl'];
const DOMAINS = [
  'gmail.com',
  'yahoo.com',
  'hotmail.com',
  'aol.com',
  'outlook.com',
  'icloud.com',
  'comcast.net',
];
const BAD_EMAILS = ['none', 'N/A', 'no email', 'declined', 'noemail@', 'refused', '-', 'x@x'];
const PROVIDERS = [
  'Dr. Patel',
  'Dr. Nguyen',
  'Dr. García',
  'Dr. Okafor',
  'Dr. Müller',
  'Dr. Cohen',
  'Dr. Smith',
  'Nguyen, Anh MD',
  "O'Brien, Kathleen DO",
  'Schröder, Jürgen DDS',
  'Kim, Soo-Jin NP',
  'Williams, R PA-C',
  'LEVY, DAVID MD',
  'Ramírez, Sofía MD',
];
const LOCATIONS = [
  'Main Office',
  'North Clinic',
  'Downtown',
  'Westside Family Practice',
  'Pediatrics - 2nd Floor',
  'Suite 200, Medical Arts Bldg',
  'Satellite (Tue/Thu)',
];

// ---------------------------------------------------------------------------------------------------
// Rendering helpers.

const CSV_SPECIAL = /[",\r\n]/;

function csvCell(value: string): string {
  return CSV_SPECIAL.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

interface Ymd {
  y: number;
  m: number;
  d: number;
}

function randomDate(rng: Rng, fromYear: number, toYear: number): Ymd {
  const y = rng.between(fromYear, toYear);
  const m = rng.between(1, 12);
  const d = rng.between(1, DAYS_IN_MONTH[m - 1]);
  return { y, m, d };
}

/** A date cell the way assorted EMR exports and spreadsheets write it. */
function renderDate(rng: Rng, date: Ymd, allowTwoDigitYear: boolean): string {
  const r = rng.next();
  if (r < 0.02) return '0000-00-00';
  if (r < 0.05) return '';
  if (r < 0.5) return `${date.m}/${date.d}/${date.y}`;
  if (r < 0.72) return `${date.y}-${pad2(date.m)}-${pad2(date.d)}`;
  if (r < 0.84) return `${date.m}/${date.d}/${date.y} 12:00:00 AM`;
  if (r < 0.9) return `${pad2(date.m)}/${pad2(date.d)}/${date.y}`;
  if (r < 0.93) return `${date.y}-${pad2(date.m)}-${pad2(date.d)} 00:00:00`;
  if (r < 0.96 && allowTwoDigitYear) return `${date.m}/${date.d}/${String(date.y % 100).padStart(2, '0')}`;
  if (r < 0.99) return `${pad2(date.m)}/${pad2(date.d)}/${date.y}`;
  return rng.pick(['00/00/0000', 'unknown', 'NULL', '13/45/2001']);
}

interface PhoneNumber {
  area: string;
  exchange: number;
  line: number;
}

function randomPhone(rng: Rng, areas: readonly string[]): PhoneNumber {
  let exchange = rng.between(200, 999);
  if (exchange % 100 === 11) exchange += 1; // N11 exchanges are not assignable
  return { area: rng.pick(areas), exchange, line: rng.int(10_000) };
}

/** A phone cell: mostly valid NANP numbers in assorted notations, some invalid or placeholder. */
function renderPhone(rng: Rng, p: PhoneNumber, work: boolean): string {
  const a = p.area;
  const e = String(p.exchange);
  const l = String(p.line).padStart(4, '0');
  const r = rng.next();
  if (r < 0.34) return `(${a}) ${e}-${l}`;
  if (r < 0.53) return `${a}-${e}-${l}`;
  if (r < 0.62) return `${a}.${e}.${l}`;
  if (r < 0.71) return `${a}${e}${l}`;
  if (r < 0.78) return `+1 ${a}-${e}-${l}`;
  if (r < 0.83 || (work && r < 0.87)) return `${a}.${e}.${l} x${rng.between(10, 9999)}`;
  if (r < 0.87) return `1-${a}-${e}-${l}`;
  if (r < 0.9) return `${e}-${l}`; // no area code: too short
  if (r < 0.92) return '000-000-0000';
  if (r < 0.93) return `(${rng.between(100, 199)}) ${e}-${l}`; // area code cannot start with 1
  if (r < 0.935) return `${a}${e}${l}.0`; // spreadsheet float
  if (r < 0.94) return `${a[0]}.${a.slice(1)}${e.slice(0, 2)}E+09`; // spreadsheet scientific notation
  if (r < 0.95) return rng.pick(['N/A', 'none', 'NULL', '0', '(   )   -    ']);
  return `(${a})${e}-${l}`;
}

function caseOf(rng: Rng, text: string, upper: boolean): string {
  if (upper) return text.toUpperCase();
  if (rng.chance(0.01)) return text.toLowerCase();
  return text;
}

/** The stable facts about one patient, drawn from a PRNG seeded by (seed, patient id). */
interface Person {
  female: boolean;
  first: string;
  middle: string;
  last: string;
  dob: Ymd;
  city: number;
  address: string;
  home: PhoneNumber | null;
  cell: PhoneNumber | null;
  work: PhoneNumber | null;
  email: string;
  provider: string;
  location: string;
  deceased: boolean;
}

function person(rng: Rng): Person {
  const female = rng.chance(0.52);
  const first =
    rng.next() < 0.8
      ? rng.pickSkewed(female ? FEMALE_FIRST : MALE_FIRST)
      : rng.pick(GIVEN_HEADS) + rng.pick(GIVEN_TAILS);
  const midList = female ? FEMALE_FIRST : MALE_FIRST;
  const mr = rng.next();
  const middle =
    mr < 0.35
      ? rng.pick(midList)[0]
      : mr < 0.45
        ? `${rng.pick(midList)[0]}.`
        : mr < 0.62
          ? rng.pick(midList)
          : '';
  let last =
    rng.next() < 0.4
      ? rng.pickSkewed(LAST)
      : rng.pick(SURNAME_HEADS) + rng.pick(SURNAME_LINKS) + rng.pick(SURNAME_TAILS);
  if (rng.chance(0.015)) last = `${last}${rng.chance(0.6) ? ', ' : ' '}${rng.pick(SUFFIXES)}`;
  const dob = randomDate(rng, 1928, 2025);
  const city = rng.pick(CITY_WEIGHTS);
  const areas = CITIES[city][4];
  const ar = rng.next();
  const number = rng.between(1, ar < 0.1 ? 99 : 9999);
  let address = `${number} ${rng.pick(STREETS)} ${rng.pick(STREET_TYPES)}`;
  if (ar < 0.03) address = `PO Box ${rng.between(1, 9999)}`;
  else if (ar < 0.12) address += `, Apt ${rng.between(1, 40)}`;
  else if (ar < 0.16) address += ` Apt ${rng.between(1, 40)}${rng.pick(['', 'A', 'B', 'C'])}`;
  else if (ar < 0.18) address += ` #${rng.between(1, 400)}`;
  else if (ar < 0.185) address += `, Unit ${rng.between(1, 12)}, Bldg ${rng.pick(['A', 'B', 'C'])}`;
  const ascii = (s: string) =>
    s
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z]/g, '');
  const er = rng.next();
  const email =
    er < 0.4
      ? `${ascii(first)}.${ascii(last)}${rng.chance(0.5) ? rng.between(1, 99) : ''}@${rng.pick(DOMAINS)}`
      : er < 0.58
        ? `${ascii(first)[0] ?? 'x'}${ascii(last)}${rng.between(1, 2025)}@${rng.pick(DOMAINS)}`
        : er < 0.61
          ? rng.pick(BAD_EMAILS)
          : '';
  return {
    female,
    first,
    middle,
    last,
    dob,
    city,
    address,
    home: rng.chance(0.62) ? randomPhone(rng, areas) : null,
    cell: rng.chance(0.78) ? randomPhone(rng, rng.chance(0.85) ? areas : ['917', '310', '312', '404']) : null,
    work: rng.chance(0.2) ? randomPhone(rng, areas) : null,
    email,
    provider: rng.pick(PROVIDERS),
    location: rng.pick(LOCATIONS),
    deceased: rng.chance(0.006),
  };
}

/**
 * One CSV record (without the line break). `rng` drives the per-row formatting; the person is the
 * same every time the patient id comes back, with a few fields changed as a later export would.
 */
function renderRow(
  rng: Rng,
  id: string,
  p: Person,
  repeat: boolean,
  counters: { multiline: number },
): string {
  const upper = rng.chance(0.15);
  let first = caseOf(rng, p.first, upper);
  if (!upper && NICKNAMES[p.first] && rng.chance(0.08)) first = `${p.first} "${NICKNAMES[p.first]}"`;
  let last = caseOf(rng, p.last, upper);
  if (rng.chance(0.03)) last = ` ${last}  `;
  const middle = caseOf(rng, p.middle, upper);
  const sr = rng.next();
  const sex =
    sr < 0.6
      ? p.female
        ? 'F'
        : 'M'
      : sr < 0.9
        ? p.female
          ? 'Female'
          : 'Male'
        : sr < 0.95
          ? ''
          : rng.pick(['U', 'X', 'unknown', 'O']);
  const [cityName, code, stateName, zip5] = CITIES[p.city];
  const stR = rng.next();
  const state =
    stR < 0.6
      ? code
      : stR < 0.82
        ? stateName
        : stR < 0.87
          ? code.toLowerCase()
          : stR < 0.9
            ? stateName.toUpperCase()
            : stR < 0.93
              ? (AP_STATE[code] ?? code)
              : stR < 0.97
                ? ''
                : rng.pick(['XX', 'N/A', 'Calif', 'Mass']);
  const zr = rng.next();
  let zip = zip5;
  if (zr < 0.12) zip = `${zip5}-${String(rng.between(1, 9999)).padStart(4, '0')}`;
  else if (zr < 0.14) zip = '';
  else if (zr < 0.145) zip = rng.pick(['00000', '9', 'UNKNOWN']);
  // Spreadsheets drop the leading zero (MA, RI, CT, NJ, NH, ME, VT, PR ZIPs): ~10% of all rows.
  if (zip.startsWith('0') && rng.chance(0.4)) zip = zip.replace(/^0+/, '');
  let city = caseOf(rng, cityName, upper);
  if (rng.chance(0.01)) city = '';
  // A later row of the same patient: new cell phone or address now and then.
  const cell = repeat && rng.chance(0.3) ? randomPhone(rng, CITIES[p.city][4]) : p.cell;
  let address = caseOf(rng, p.address, upper);
  if (repeat && rng.chance(0.2))
    address = `${rng.between(1, 9999)} ${rng.pick(STREETS)} ${rng.pick(STREET_TYPES)}`;
  if (rng.chance(0.0003)) {
    address = `${address}\nApt ${rng.between(1, 40)}`; // line break inside a quoted field
    counters.multiline++;
  }
  const lastVisit = rng.chance(0.08)
    ? ''
    : renderDate(rng, randomDate(rng, repeat ? 2022 : 2016, 2025), true);
  const next = rng.chance(0.25) ? renderDate(rng, randomDate(rng, 2026, 2026), false) : '';
  const dr = rng.next();
  const deceased = p.deceased
    ? rng.pick(['Y', 'Yes', 'Deceased', 'TRUE', '1'])
    : dr < 0.8
      ? ''
      : dr < 0.97
        ? 'N'
        : rng.pick(['No', 'FALSE', '0', 'Active']);
  const email = upper && rng.chance(0.5) ? p.email.toUpperCase() : p.email;
  const cells = [
    id,
    last,
    first,
    middle,
    renderDate(rng, p.dob, true),
    sex,
    p.home ? renderPhone(rng, p.home, false) : '',
    cell ? renderPhone(rng, cell, false) : '',
    p.work ? renderPhone(rng, p.work, true) : '',
    email,
    address,
    city,
    state,
    zip,
    p.provider,
    p.location,
    lastVisit,
    next,
    deceased,
  ];
  let out = '';
  for (let i = 0; i < cells.length; i++) out += (i ? ',' : '') + csvCell(cells[i]);
  return out;
}

const RING = 1 << 16;
const BATCH_ROWS = 2000;

/** Writes `rows` data rows (plus the header) to `file`, streaming with backpressure. */
export async function generateExport(file: string, opts: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now();
  const seed = (opts.seed ?? 42) >>> 0;
  const repeats = opts.repeats ?? 0.01;
  if (!(repeats >= 0 && repeats < 0.99)) throw new Error(`repeats must be in [0, 0.99): ${repeats}`);
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.partial`;
  const out = createWriteStream(tmp, { highWaterMark: 1 << 20 });
  const failed = new Promise<never>((_, reject) => out.on('error', reject));
  failed.catch(() => undefined);
  const write = async (text: string) => {
    if (!out.write(text))
      await Promise.race([new Promise<void>((r) => out.once('drain', () => r())), failed]);
  };

  const rng = new Rng(seed);
  const personRng = new Rng(0);
  const ring = new Int32Array(RING);
  let issued = 0;
  let nextId = 100_000 + rng.int(1000);
  let repeatedIds = 0;
  let emptyIds = 0;
  const counters = { multiline: 0 };

  await write(`${opts.bom ? '\ufeff' : ''}${EXPORT_HEADERS.join(',')}\r\n`);
  let batch = '';
  for (let row = 0; row < opts.rows; row++) {
    const r = rng.next();
    let id: number;
    let repeat = false;
    if (r < repeats && issued > 0) {
      id = ring[rng.int(Math.min(issued, RING))];
      repeat = true;
      repeatedIds++;
    } else {
      id = nextId;
      nextId += rng.chance(0.85) ? 1 : rng.between(2, 40); // deleted/merged charts leave gaps
      ring[issued % RING] = id;
      issued++;
    }
    personRng.reseed(mix(seed, id));
    const p = person(personRng);
    let idText = String(id);
    if (r > 0.995) {
      idText = rng.chance(0.8) ? '' : '  ';
      emptyIds++;
    }
    batch += renderRow(rng, idText, p, repeat, counters) + '\r\n';
    if ((row + 1) % BATCH_ROWS === 0) {
      await write(batch);
      batch = '';
    }
  }
  if (batch) await write(batch);
  await Promise.race([new Promise<void>((resolve) => out.end(() => resolve())), failed]);
  await rename(tmp, file);
  return {
    path: file,
    rows: opts.rows,
    bytes: out.bytesWritten,
    repeatedIds,
    emptyIds,
    multiline: counters.multiline,
    seconds: (performance.now() - started) / 1000,
  };
}

function argValue(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function cli(argv: readonly string[]): Promise<void> {
  const rows = Number(argValue(argv, 'rows') ?? 200_000);
  const seed = Number(argValue(argv, 'seed') ?? 42);
  const repeats = Number(argValue(argv, 'repeats') ?? 0.01);
  const out = argValue(argv, 'out');
  if (!out || !Number.isInteger(rows) || rows < 0 || !Number.isFinite(seed)) {
    process.stderr.write(
      'usage: node dist/bench/generate-export.js --rows N [--seed S] [--repeats 0.01] [--bom] --out FILE\n',
    );
    process.exit(2);
  }
  const result = await generateExport(path.resolve(out), {
    rows,
    seed,
    repeats,
    bom: argv.includes('--bom'),
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (require.main === module) {
  cli(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
