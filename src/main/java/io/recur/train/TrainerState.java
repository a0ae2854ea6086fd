package io.recur.train;

/**
 * Where a run stands, saved as checkpoint/trainer.json: the steps done, the next training batch
 * (batches are numbered, and a task draws batch i from its seed and i alone, so this and the seed
 * are the whole random state of the data), the seed, and the latest figures.
 */
public record TrainerState(long step, long nextBatch, long seed, double loss, Double validationMetric, double elapsedSeconds) {
    public TrainerState {
        if (step < 0 || nextBatch < 0) throw new IllegalArgumentException("trainer state: negative step " + step + " or batch " + nextBatch);
    }
}
