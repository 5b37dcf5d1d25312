// `ouro reproduce ecosystems`: the claims about several models and people sharing one pool
// (docs/ecosystems.md), each run through the ordinary runner and set against exact theory
// where it exists, by the rules of verdict.ts stated before the numbers are seen.
import type { Claim } from './claim.ts';
import { humanText, peopleDrift, twoCoins } from './claims/ecosystem-coins.ts';
import { brownPair, curation, temperatures } from './claims/ecosystem-pool.ts';

export const SOURCE = 'the opinion-ecosystem claims of docs/ecosystems.md (after Vu, Reeves & Wenger, ICLR 2026; Wei, Zhang & Zhang, ICML 2026; Friedkin & Johnsen 1990)';

export const CLAIMS: readonly Claim[] = [twoCoins, humanText, peopleDrift, curation, temperatures, brownPair];
