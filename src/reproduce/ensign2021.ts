// `ouro reproduce ensign2021`: every claim of D. Ensign, "Feedback Loops in Opinion
// Modeling" (OpenAI Scholars Demo Day, 2021), run through the ordinary runner and set against
// theory by the rules of verdict.ts.
import type { Claim, ClaimResult } from './claim.ts';
import { extinction, fixation, steps } from './claims/coin.ts';
import { classifierWalk } from './claims/classifier.ts';
import { curation, grounding } from './claims/feedback.ts';
import { ngramCollapse } from './claims/ngram.ts';
import { temperatureCollapse, temperatureMap } from './claims/temperature.ts';
import { transformerLoop } from './claims/transformer.ts';

export const SOURCE = 'D. Ensign, “Feedback Loops in Opinion Modeling”, OpenAI Scholars Demo Day, May 2021';

/** The claims in the order the work makes them. */
export const CLAIMS: readonly Claim[] = [fixation, steps, extinction, temperatureMap, temperatureCollapse, ngramCollapse, transformerLoop, grounding, curation, classifierWalk];

export type { Claim, ClaimResult };
