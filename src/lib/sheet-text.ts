/** Display width in spreadsheet character units: CJK and full-width characters take two. */
export const displayWidth = (text: string) =>
  [...text].reduce((width, character) => width + ((character.codePointAt(0) ?? 0) > 0x2e80 ? 2 : 1), 0);

/**
 * Wrapped lines a text needs in a column of this width. Spreadsheet programs do not grow rows for
 * wrapped text that a library wrote, so row heights are set from this.
 */
export const linesNeeded = (text: string, columnWidth: number) =>
  text
    .split('\n')
    .reduce(
      (lines, paragraph) => lines + Math.max(1, Math.ceil(displayWidth(paragraph) / (columnWidth - 1))),
      0,
    );
