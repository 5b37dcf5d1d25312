// The error of a queue that cannot be used as asked (bad URL, Redis unreachable, no shared
// secret): the CLI reports its message and exits 2. Its own module, so commands can name it
// without loading the Redis client.

export class QueueError extends Error {
  override name = 'QueueError';
}
