// The error of a run or sweep directory that cannot be used as asked (missing, damaged, held
// by another process, not made by Ouroboros): the CLI reports its message and exits 2.

export class RunDirError extends Error {
  override name = 'RunDirError';
}
