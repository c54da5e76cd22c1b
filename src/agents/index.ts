export { Mlp, ACTIVATIONS, checkActivation, type Activation, type MlpOptions } from './mlp';
export { Adam, clipGradNorm, type AdamOptions } from './adam';
export * as distributions from './distributions';
export { Decider, MAX_JOINT_MODELS, teamIndex, type DeciderHead, type DeciderOptions } from './decider';
export { Fusion, FUSION_ARCHITECTURES, FUSION_FEATURES, type FusionArchitecture, type FusionFeature, type FusionOptions } from './fusion';
export { Critic, type CriticNode, type CriticOptions } from './critic';
