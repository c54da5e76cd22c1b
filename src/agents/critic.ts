import type { Rng } from '../util/rng';
import { Mlp, type Activation } from './mlp';

export interface CriticOptions {
  deciderStateSize: number;
  fusionStateSize: number;
  hidden: readonly number[];
  activation: Activation;
}

export type CriticNode = 'decider' | 'fusion';

/**
 * The centralized critic V_phi (spec §2.5, App. C): value estimates of the shared return from global states the
 * actors do not see. One step has two decision points (the Decider moves, then the Fusion agent sees the chosen
 * team's outputs), so the critic has one value network per decision point:
 *
 * - `fusionNode`: V(s_t), s_t = [o1_{t+1}, o2_t] exactly as App. C (the new team's metrics and outputs);
 * - `deciderNode`: V at the Decider's move, from [o1_t, every model's window accuracy]. It must not see the
 *   Decider's action or its outcome, otherwise it would explain away the Decider's advantage.
 *
 * GAE chains the two (see `src/train/gae.ts`).
 */
export class Critic {
  readonly deciderNode: Mlp;
  readonly fusionNode: Mlp;

  constructor(options: CriticOptions, rng: Rng) {
    const make = (inputs: number, label: string): Mlp =>
      new Mlp({ sizes: [inputs, ...options.hidden, 1], hiddenActivation: options.activation }, rng.fork(label));
    this.deciderNode = make(options.deciderStateSize, 'decider-node');
    this.fusionNode = make(options.fusionStateSize, 'fusion-node');
  }

  net(node: CriticNode): Mlp {
    return node === 'decider' ? this.deciderNode : this.fusionNode;
  }

  /** Value of one state at the given decision point. */
  value(node: CriticNode, state: ArrayLike<number>): number {
    return this.net(node).forward(state, 1)[0];
  }
}
