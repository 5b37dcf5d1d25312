// Shared text-corpus code for language-model families (n-gram, transformer): load and
// tokenize a corpus, build a vocabulary, encode to ids, split off held-out sentences.
export { CORPUS_PATHS, corpusSchema, loadCorpus, tokenize, splitSentences, type CorpusSpec } from './corpus.ts';
export { BEGIN, END, bpeVocab, buildVocab, decode, encode, pack, packTexts, type Level, type Packed, type Vocab } from './vocab.ts';
export { trainBpe, VocabTooLarge, type Bpe } from './bpe.ts';
export { splitHeldOut, type Split } from './split.ts';
export { concatSentences, countSentences, packSentences, perSentence, selectSentences, sentenceAt } from './packed.ts';
