package io.recur.sweep;

/**
 * result.json in a run's folder, written (atomically) when the run is over: whether it finished or
 * failed (with the error), where it stopped, and its final model's metric on the validation split
 * and on the held-out test split (the same number of batches as a validation; the checkpoint beside
 * it holds that model). A sweep that finds this file does not run the run again.
 */
public record RunResult(String status, String message, long steps, double elapsedSeconds, boolean reachedTarget,
                        String metric, Double validation, Double test, Double testLoss) {
    public static final String FILE = "result.json", FINISHED = "finished", FAILED = "failed";

    public boolean finished() { return FINISHED.equals(status); }

    static RunResult failed(String message, long steps, double elapsedSeconds, String metric) {
        return new RunResult(FAILED, message, steps, elapsedSeconds, false, metric, null, null, null);
    }
}
