// Complex arithmetic for evaluating answers at sample points: working over C keeps both sides on
// the same principal branches (sqrt of a negative, log of a negative) instead of giving up.

export type Complex = { readonly re: number; readonly im: number };

export const c = (re: number, im = 0): Complex => ({ re, im });
export const I = c(0, 1);

export const add = (a: Complex, b: Complex) => c(a.re + b.re, a.im + b.im);
export const sub = (a: Complex, b: Complex) => c(a.re - b.re, a.im - b.im);
export const neg = (a: Complex) => c(-a.re, -a.im);
export const mul = (a: Complex, b: Complex) =>
  b.im === 0 && a.im === 0 ? c(a.re * b.re) : c(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);
export const abs = (a: Complex) => Math.hypot(a.re, a.im);
export const isReal = (a: Complex) => a.im === 0;

export function div(a: Complex, b: Complex): Complex {
  if (a.im === 0 && b.im === 0) return c(a.re / b.re);
  const d = b.re * b.re + b.im * b.im;
  return c((a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d);
}

export function exp(a: Complex): Complex {
  const m = Math.exp(a.re);
  return a.im === 0 ? c(m) : c(m * Math.cos(a.im), m * Math.sin(a.im));
}

export function log(a: Complex): Complex {
  if (a.im === 0 && a.re > 0) return c(Math.log(a.re));
  return c(Math.log(abs(a)), Math.atan2(a.im, a.re));
}

/** p/q with q odd and small, when `x` is one: (-8)^(2/3) is then real (4), as \sqrt[3]{-8}^2 is. */
function oddDenominator(x: number): number | null {
  for (const q of [3, 5, 7, 9]) if (Math.abs(x * q - Math.round(x * q)) < 1e-9) return Math.round(x * q);
  return null;
}

export function pow(a: Complex, b: Complex): Complex {
  if (a.im === 0 && b.im === 0 && (a.re >= 0 || Number.isInteger(b.re))) return c(Math.pow(a.re, b.re));
  if (a.im === 0 && b.im === 0) {
    const p = oddDenominator(b.re);
    if (p !== null) return c((p % 2 === 0 ? 1 : -1) * Math.pow(-a.re, b.re));
  }
  if (a.re === 0 && a.im === 0) return b.re > 0 ? c(0) : c(Number.NaN);
  if (b.im === 0 && Number.isInteger(b.re) && Math.abs(b.re) <= 64) {
    let r = c(1);
    for (let k = 0; k < Math.abs(b.re); k++) r = mul(r, a);
    return b.re < 0 ? div(c(1), r) : r;
  }
  return exp(mul(b, log(a)));
}

export function sqrt(a: Complex): Complex {
  if (a.im === 0 && a.re >= 0) return c(Math.sqrt(a.re));
  const m = abs(a);
  const re = Math.sqrt((m + a.re) / 2);
  const im = Math.sqrt((m - a.re) / 2);
  return c(re, a.im < 0 ? -im : im);
}

/** n-th root; real and negative for an odd root of a negative real, as people write \sqrt[3]{-8} = -2. */
export function root(a: Complex, n: Complex): Complex {
  if (a.im === 0 && n.im === 0 && a.re < 0 && Number.isInteger(n.re) && Math.abs(n.re) % 2 === 1) {
    return c(-Math.pow(-a.re, 1 / n.re));
  }
  return pow(a, div(c(1), n));
}

export function sin(a: Complex): Complex {
  if (a.im === 0) return c(Math.sin(a.re));
  return c(Math.sin(a.re) * Math.cosh(a.im), Math.cos(a.re) * Math.sinh(a.im));
}

export function cos(a: Complex): Complex {
  if (a.im === 0) return c(Math.cos(a.re));
  return c(Math.cos(a.re) * Math.cosh(a.im), -Math.sin(a.re) * Math.sinh(a.im));
}

// asin z = -i log(iz + sqrt(1 - z^2)), acos z = pi/2 - asin z, atan z = (i/2) log((i + z)/(i - z)).
export function asin(a: Complex): Complex {
  if (a.im === 0 && Math.abs(a.re) <= 1) return c(Math.asin(a.re));
  return mul(neg(I), log(add(mul(I, a), sqrt(sub(c(1), mul(a, a))))));
}
export const acos = (a: Complex) => sub(c(Math.PI / 2), asin(a));
export function atan(a: Complex): Complex {
  if (a.im === 0) return c(Math.atan(a.re));
  return mul(c(0, 0.5), log(div(add(I, a), sub(I, a))));
}

export const sinh = (a: Complex) => div(sub(exp(a), exp(neg(a))), c(2));
export const cosh = (a: Complex) => div(add(exp(a), exp(neg(a))), c(2));

export const isFiniteComplex = (a: Complex) => Number.isFinite(a.re) && Number.isFinite(a.im);

/** |a - b| within relTol of the larger magnitude, or within absTol. */
export function close(a: Complex, b: Complex, relTol: number, absTol: number): boolean {
  if (a.re === b.re && a.im === b.im) return true;
  const d = abs(sub(a, b));
  return d <= absTol || d <= relTol * Math.max(abs(a), abs(b));
}
