import type { Lang } from '../domain/types.js';

/** One line of a printed document; `mono` for what is copied character by character (a hash). */
export interface PrintLine {
  text: string;
  mono?: boolean;
}

/** One record under a heading: a bold first line, then its details. */
export interface PrintEntry {
  title: string;
  lines: PrintLine[];
}

/**
 * A document to print, neutral like the cards: the use-case writes every word in the reader's language, a
 * renderer lays it out. `footer` is repeated on every page (the audit anchor, so a single page still names it).
 */
export interface PrintDocument {
  lang: Lang;
  title: string;
  /** What the PDF's properties say (subject, keywords), for an archive that indexes them. */
  subject: string;
  keywords: string[];
  intro: PrintLine[];
  sections: { heading: string; entries: PrintEntry[]; empty: string }[];
  footer: string;
  /** "Page 2 of 3", in the document's language. */
  page: (page: number, pages: number) => string;
}

/** Turns a document into a file format the authority files: the seam that keeps a PDF library out of the use-cases. */
export interface DocumentRenderer {
  pdf(doc: PrintDocument): Promise<Uint8Array>;
}
