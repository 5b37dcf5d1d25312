// The family registry: adding a family is one folder plus one line here.
import type { FamilyEntry } from './entry.ts';
import { entry as categorical } from './categorical/index.ts';
import { entry as classifier } from './classifier/index.ts';
import { entry as gaussian } from './gaussian/index.ts';
import { entry as ngram } from './ngram/index.ts';
import { entry as mixture } from './mixture/index.ts';
import { entry as regression } from './regression/index.ts';
import { entry as urn } from './urn/index.ts';
import { entry as transformer } from './transformer/index.ts';

export const FAMILIES: Readonly<Record<string, FamilyEntry>> = {
  categorical,
  gaussian,
  ngram,
  classifier,
  mixture,
  regression,
  urn,
  transformer,
};
