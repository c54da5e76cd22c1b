/**
 * The shared reward of Eq. 6 (spec §2.3, authors' `env/ens_env.py::_evaluate_pool`):
 *
 *   r = +1                      if the final answer is right
 *   r = -1 - alpha * m / N      if it is wrong and the answer came from the interim plurality vote
 *   r = -1                      if it is wrong and the Fusion agent answered
 *
 * The size term is the Decider's incentive during its warm-start turn, when the answer is the interim plurality vote
 * of its team; once the Fusion agent answers, the reward is "the same ... excluding the size-penalisation constant"
 * for both agents (the authors' code also gives -1 at test time). Only wrong answers are penalised, as in the code.
 *
 * m = 0 (the Decider selected nobody): no model is called, there is no answer, and the step counts as wrong without
 * a size term (-1). The authors' code reached the same -1 through `bool(np.array([]))`, which newer NumPy rejects
 * (spec §7 item 7).
 *
 * `callPrice` (ours, 0 in the paper): a price lambda per LLM call beyond the first `freeCalls`, subtracted from every
 * step's reward whether the answer is right or not (RouterBench's willingness to pay), so that a team larger than the
 * allowance has to buy its extra calls with accuracy. Eq. 6 alone charges only wrong answers, and nothing once the
 * Fusion agent answers.
 */
export function ensembleReward(correct: boolean, teamSize: number, nModels: number, interim: boolean, alpha: number, callPrice = 0, freeCalls = 0): number {
  const price = callPrice * Math.max(0, teamSize - freeCalls);
  if (correct) return 1 - price;
  if (interim && teamSize > 0) return -1 - (alpha * teamSize) / nModels - price;
  return -1 - price;
}
