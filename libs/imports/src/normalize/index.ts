export { parseDate, parseDateTime, TWO_DIGIT_YEAR_RULE } from './dates';
export type { DateKind, DateOptions, DateOrder, DateResult, DateTimeOptions, DateTimeResult } from './dates';
export { parsePhone, normalizePhoneType } from './phones';
export type { Phone, PhoneType } from './phones';
export { cleanName, normalizeForMatch, splitFullName } from './names';
export type { PersonName } from './names';
export { normalizeState, normalizeZip, resolveTimeZone, stateTimeZone, zipTimeZone } from './places';
export type { StateResult, TimeZoneSource, ZipResult } from './places';
