// Shared by the closed-form `ouro theory` subcommands: which generations a printed curve shows,
// and comma-separated list flags.

/** Generations 0, 1, 2, 5, 10, 20, 50, … below G, and G itself. */
export function curveGenerations(last: number): number[] {
  const out = [0];
  for (let d = 1; d <= last; d *= 10) for (const m of [1, 2, 5]) if (m * d < last) out.push(m * d);
  if (last > 0) out.push(last);
  return out;
}

/** The flag's comma-separated numbers, each checked by parse. */
export function parseList(raw: string, parse: (one: string) => number): number[] {
  return raw.split(',').map((s) => parse(s.trim()));
}
