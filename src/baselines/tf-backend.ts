import { tf } from './tfjs';

export type TfBackendName = 'cpu' | 'wasm';

/**
 * Switches tfjs (process-wide) to the pure-JS 'cpu' backend or the WebAssembly one and waits until it is ready;
 * returns the backend that was active before, so a caller can restore it. On the BBH fusion runs (24 small MLPs)
 * 'wasm' used about half the CPU time of 'cpu'; the two give slightly different floats, so a seed reproduces a
 * result only on the same backend (the result's details record it).
 */
export async function useTfBackend(name: TfBackendName): Promise<string> {
  const previous = tf.getBackend();
  if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  else if (name !== 'cpu') throw new RangeError(`useTfBackend: unknown backend "${name}" (use 'cpu' or 'wasm')`);
  if (!(await tf.setBackend(name))) throw new Error(`useTfBackend: tfjs could not initialise the "${name}" backend`);
  await tf.ready();
  return previous;
}
