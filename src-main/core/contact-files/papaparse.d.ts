// The part of papaparse's API the CSV import uses (the package ships no types; @types/papaparse
// is not installed).
declare module 'papaparse' {
  export interface ParseError { type: string; code: string; message: string; row?: number; index?: number }
  export interface ParseResult<T> {
    data: T[];
    errors: ParseError[];
    meta: { delimiter: string; linebreak: string; aborted: boolean; truncated: boolean; cursor: number };
  }
  export interface ParseConfig {
    delimiter?: string;
    newline?: string;
    quoteChar?: string;
    header?: false;
    skipEmptyLines?: boolean | 'greedy';
    delimitersToGuess?: string[];
    preview?: number;
  }
  const Papa: { parse<T = string[]>(input: string, config?: ParseConfig): ParseResult<T> };
  export default Papa;
}
