// Finding the last \boxed{...} / \fbox{...} the way upstream does (spec 7.1 step 2): the text after
// the last marker, up to the brace that closes the first one (nested braces counted), or up to the
// first "$" when no brace follows. Upstream only knows "boxed"; \fbox is the same thing.

/** Where the content after the last `boxed` / `\fbox` marker starts, or -1 when there is none. */
function afterLastMarker(text: string): number {
  const boxed = text.lastIndexOf("boxed");
  const fbox = text.lastIndexOf("\\fbox");
  if (boxed < 0 && fbox < 0) return -1;
  return boxed > fbox ? boxed + "boxed".length : fbox + "\\fbox".length;
}

/** Text up to the brace matching an opening `{` at `open` (or the rest when it never closes). */
function bracedGroup(text: string, open: number): string {
  let depth = 1;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return text.slice(open + 1, i);
  }
  return text.slice(open + 1);
}

/** Content of the last \boxed / \fbox, "" when the marker ends the text, null when there is none. */
export function lastBoxed(text: string): string | null {
  const start = afterLastMarker(text);
  if (start < 0) return null;
  const rest = text.slice(start);
  if (rest === "") return "";
  if (rest.startsWith("{")) return bracedGroup(rest, 0);
  return rest.split("$")[0]!.trim();
}
