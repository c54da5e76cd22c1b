import type { Dataset } from '../data/dataset';
import { TRAIN } from '../data/dataset';

/** What a command reports about the data it read, so a summary line says what the numbers are about. */
export function datasetSummary(data: Dataset): Record<string, unknown> {
  let train = 0;
  for (let t = 0; t < data.nQueries; t++) if (data.split[t] === TRAIN) train++;
  let abstentions = 0;
  const predictions = data.predictions;
  for (let k = 0; k < predictions.length; k++) if (predictions[k] < 0) abstentions++;
  return {
    models: data.models.map((m) => m.id),
    queries: data.nQueries,
    train,
    test: data.nQueries - train,
    // Subtasks with queries: a --subtasks filter keeps the names of the others.
    subtasks: new Set(data.subtaskIds).size,
    max_choices: data.maxChoices,
    abstentions,
    provenance: data.provenance.source,
    ...(data.provenance.answerSlots ? { answer_slots: data.provenance.answerSlots } : {}),
  };
}
