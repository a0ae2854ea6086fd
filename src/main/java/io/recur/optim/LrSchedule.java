package io.recur.optim;

/** The learning rate at each step (counted from 0), handed to {@link Optimizer#step}; implement it for other shapes. */
public interface LrSchedule {
    double at(long step);

    /** The same rate throughout. */
    record Constant(double learningRate) implements LrSchedule {
        public Constant {
            if (!(learningRate >= 0) || Double.isInfinite(learningRate))
                throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + learningRate);
        }

        @Override public double at(long step) { return learningRate; }
    }

    /**
     * Linear warmup from peak/warmup to peak over the first {@code warmupSteps} steps, then a
     * half cosine from peak down to {@code minimum} at {@code totalSteps} (and minimum after).
     */
    record WarmupCosine(double peak, long warmupSteps, long totalSteps, double minimum) implements LrSchedule {
        public WarmupCosine {
            if (!(peak >= 0) || Double.isInfinite(peak)) throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + peak);
            if (!(minimum >= 0 && minimum <= peak)) throw new IllegalArgumentException("minimum learning rate must be in [0, " + peak + "], got " + minimum);
            if (warmupSteps < 0 || totalSteps < 1 || warmupSteps > totalSteps)
                throw new IllegalArgumentException("need 0 <= warmup steps (" + warmupSteps + ") <= total steps (" + totalSteps + ") and total >= 1");
        }

        @Override
        public double at(long step) {
            if (step < warmupSteps) return peak * (step + 1) / warmupSteps;
            if (step >= totalSteps) return minimum;
            double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
            return minimum + (peak - minimum) * 0.5 * (1 + Math.cos(Math.PI * progress));
        }
    }
}
