import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/** One `import`/`export ... from` of a relative module: file paths relative to the source root, `.ts`. */
export interface ImportEdge {
  from: string;
  to: string;
}

const SPECIFIER = /\bfrom\s*"(\.{1,2}\/[^"]+)"|\bimport\s*\(\s*"(\.{1,2}\/[^"]+)"\s*\)|^import\s+"(\.{1,2}\/[^"]+)"/gm;

/** Every relative import of every `.ts` file under `root` (static, re-export and dynamic). */
export function readImportGraph(root: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of tsFiles(root)) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(SPECIFIER)) {
      const spec = m[1] ?? m[2] ?? m[3]!;
      const target = resolve(dirname(file), spec).replace(/\.js$/, ".ts");
      edges.push({ from: relative(root, file), to: relative(root, target) });
    }
  }
  return edges;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : e.name.endsWith(".ts") ? [p] : [];
  });
}

/** The unit a file belongs to: its top-level folder (`runs/`), or itself for a file at the root (`errors.ts`). */
export function unitOf(file: string): string {
  const slash = file.indexOf("/");
  return slash < 0 ? file : file.slice(0, slash + 1);
}

/**
 * The layers of a fenced ```layers block: one line per layer, highest first, units separated by
 * spaces. A unit may import only units of the layers below its own.
 */
export function parseLayers(markdown: string, where: string): string[][] {
  const block = /^```layers\n([\s\S]*?)^```/m.exec(markdown);
  if (!block) throw new Error(`${where} has no \`\`\`layers block`);
  return block[1]!
    .split("\n")
    .map((line) => line.trim().split(/\s+/).filter((u) => u !== ""))
    .filter((units) => units.length > 0);
}

/** Each rule the graph breaks, as a line a person can act on. */
export function layerViolations(edges: readonly ImportEdge[], layers: readonly string[][], where: string): string[] {
  const rank = new Map<string, number>();
  layers.forEach((units, i) => units.forEach((u) => rank.set(u, layers.length - i)));
  const problems: string[] = [];
  const units = new Set(edges.flatMap((e) => [unitOf(e.from), unitOf(e.to)]));
  for (const unit of [...units].sort()) {
    if (!rank.has(unit)) problems.push(`${unit} is in no layer of ${where}; add it to the \`\`\`layers block`);
  }
  for (const { from, to } of edges) {
    const a = unitOf(from);
    const b = unitOf(to);
    if (a === b) continue;
    if (b.endsWith("/") && to !== `${b}index.ts`) {
      problems.push(`${from} imports ${to}: import ${b} through ${b}index.ts (export what is needed there)`);
    }
    const ra = rank.get(a);
    const rb = rank.get(b);
    if (ra !== undefined && rb !== undefined && rb >= ra) {
      problems.push(`${from} imports ${to}: ${b} is not in a layer below ${a} (${where})`);
    }
  }
  return problems;
}

/** The import cycles among files (strongly connected components of more than one file, or a self-import). */
export function importCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  // Tarjan's algorithm; the graph is small enough for recursion.
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (next.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const v of [...new Set(edges.flatMap((e) => [e.from, e.to]))].sort()) if (!index.has(v)) visit(v);
  return cycles;
}
