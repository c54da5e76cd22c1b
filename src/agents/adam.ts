export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  /** The authors' REINFORCE uses 1e-5 (as CleanRL's PPO does); PyTorch's default is 1e-8. */
  eps?: number;
}

/**
 * Adam (Kingma & Ba 2015) over one flat parameter vector, the update `torch.optim.Adam` performs (bias-corrected
 * moments, no weight decay).
 */
export class Adam {
  lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private t = 0;

  constructor(nParams: number, options: AdamOptions) {
    this.lr = options.lr;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
    this.m = new Float64Array(nParams);
    this.v = new Float64Array(nParams);
  }

  /** params -= lr * mhat / (sqrt(vhat) + eps). */
  step(params: Float64Array, grads: Float64Array): void {
    if (params.length !== this.m.length || grads.length !== this.m.length) {
      throw new RangeError(`Adam.step: expected ${this.m.length} parameters and gradients, got ${params.length} and ${grads.length}`);
    }
    this.t += 1;
    const b1 = this.beta1;
    const b2 = this.beta2;
    const c1 = 1 - Math.pow(b1, this.t);
    const c2 = 1 - Math.pow(b2, this.t);
    const stepSize = this.lr / c1;
    const m = this.m;
    const v = this.v;
    for (let k = 0; k < params.length; k++) {
      const g = grads[k];
      m[k] = b1 * m[k] + (1 - b1) * g;
      v[k] = b2 * v[k] + (1 - b2) * g * g;
      params[k] -= (stepSize * m[k]) / (Math.sqrt(v[k] / c2) + this.eps);
    }
  }

  /** Forget the moments (the authors rebuild their optimizer whenever best weights are restored). */
  reset(): void {
    this.m.fill(0);
    this.v.fill(0);
    this.t = 0;
  }
}

/** Scales `grads` in place so that their global L2 norm is at most `maxNorm`; returns the norm before clipping. */
export function clipGradNorm(grads: Float64Array, maxNorm: number): number {
  let ss = 0;
  for (let k = 0; k < grads.length; k++) ss += grads[k] * grads[k];
  const norm = Math.sqrt(ss);
  if (Number.isFinite(maxNorm) && norm > maxNorm) {
    const scale = maxNorm / (norm + 1e-6);
    for (let k = 0; k < grads.length; k++) grads[k] *= scale;
  }
  return norm;
}
