// Shared text-corpus code for language-model families (n-gram, transformer): load and
// tokenize a corpus, build a vocabulary, encode to ids, split off held-out sentences.
export { corpusSchema, loadCorpus, tokenize, splitSentences, type CorpusSpec } from './corpus.ts';
export { BEGIN, END, buildVocab, decode, encode, pack, type Level, type Packed, type Vocab } from './vocab.ts';
export { splitHeldOut, type Split } from './split.ts';
