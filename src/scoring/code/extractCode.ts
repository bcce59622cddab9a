// Upstream's has_code(): every ```lang\n ... ``` block (letters-only info string), the last one wins.
const CODE_BLOCK = /```(?:[a-zA-Z]*)\n(.*?)```/gs;

/** The last fenced code block of a response, or null when it has none ("Does not contain code component."). */
export function lastCodeBlock(response: string): string | null {
  let last: string | null = null;
  for (const match of response.matchAll(CODE_BLOCK)) last = match[1]!;
  return last;
}

/** LiveCodeBench's post_process_code: cut at </code>, drop ```python, cut at the next ```, drop <code>. */
export function lcbPostProcess(code: string): string {
  let out = code.split("</code>")[0]!;
  out = out.replaceAll("```python", "");
  out = out.split("```")[0]!;
  return out.replaceAll("<code>", "");
}
