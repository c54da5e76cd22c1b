/**
 * tfjs as the tests use it (the autodiff oracle of the hand-written gradients; the library itself has no tfjs): the
 * same module, with its one-time "install our node backend" banner silenced, since that package (tfjs-node) needs a
 * native download this project cannot make and the banner would read as a failure in the test output.
 */
import * as tf from '@tensorflow/tfjs';

const NODE_BACKEND_BANNER = 'install our node backend';

// The CPU backend prints the banner on its first tensor write. Doing that write here, with only the banner filtered
// out of console.warn, keeps every other tfjs warning.
const warn = console.warn;
console.warn = (...args: unknown[]) => {
  if (!args.some((a) => typeof a === 'string' && a.includes(NODE_BACKEND_BANNER))) warn.apply(console, args);
};
try {
  tf.scalar(0).dispose();
} finally {
  console.warn = warn;
}

export { tf };
