// Axis titles with units for the metrics the families record (src/metrics and each family's
// `metrics`). A metric not listed here is shown by its name alone.
const UNITS: Readonly<Record<string, string>> = {
  entropy: 'entropy (nats)',
  entropyBits: 'entropy (bits)',
  giniSimpson: 'H = 1 − Σp² (probability)',
  support: 'support (outcomes with p > 0)',
  kl: 'KL(p_t ‖ p_0) (nats)',
  tv: 'TV from generation 0 (probability)',
  p0: 'share of outcome 0 (probability)',
  pmax: 'largest outcome share (probability)',
  reward: 'expected reward (reward units)',
  perplexity: 'perplexity (tokens)',
  heldOutCoveredPerplexity: 'perplexity of held-out tokens with p > 0 (tokens)',
  heldOutZeroRate: 'share of held-out tokens with p = 0',
  crossEntropy: 'cross-entropy (nats per token)',
  mse: 'MSE (squared data units)',
  testError: 'test error ‖ŵ − w*‖² (squared weight units)',
  logVariance: 'log variance (log squared data units)',
  share0: 'share of region 0 (probability)',
  shareMax: 'largest region share (probability)',
  gap: 'TV from the true shares (probability)',
  mean: 'mean (data units)',
  variance: 'variance (squared data units)',
  sd: 'standard deviation (data units)',
};

/** The axis title of a metric: its name with a unit where known. */
export function axisTitle(metric: string): string {
  return UNITS[metric] ?? metric;
}
