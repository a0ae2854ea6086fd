package io.recur.train;

import io.recur.learn.LearningRule;
import io.recur.learn.RateRegularizer;

/**
 * Everything that defines a training run, saved in the checkpoint (run.json) so that a resumed run
 * continues the same one. JSON keys are the snake_case field names, which are also the CLI option
 * names with dashes (--d-model ↔ d_model). Zero for {@code seqLen}, {@code vocab} or {@code items}
 * means the task's default; a null {@code target} means no early stop; a null {@code maxSeconds}
 * means no wall-time limit (with one, the run validates, checkpoints and stops at the first step
 * that ends past it). A warmup longer than the run ends with it. {@code momentum} and
 * {@code nesterov} steer SGD and Shampoo; {@code preconditionFrequency} and {@code maxBlockSize}
 * steer Shampoo and SOAP (0: the optimizer's default, which a run saved before these keys existed gets).
 * {@code evaluation} says how GRU and LSTM layers run over time: sequential (step by step), or
 * deer, quasi-deer, elk or quasi-elk (Newton's method on the whole trajectory, see {@link Evaluations}).
 * {@code learning} is how gradients are computed: bptt (the tape's backward) or e-prop on a spiking
 * network (eprop-symmetric, eprop-random, eprop-adaptive; see {@link LearningRule}). {@code rateReg}
 * and {@code targetRate} regularise e-prop's firing rates toward targetRate Hz with that coefficient
 * (see {@link RateRegularizer}; 0: off, as a run saved before these keys existed gets).
 * {@code damping}, {@code newtonTolerance} and {@code newtonIterations} steer the parallel
 * evaluations' Newton iterations (λ of ELK and quasi-ELK, the stopping tolerance, the most
 * iterations; 0: the solver's default, see {@link io.recur.parallel.NewtonOptions#of}).
 */
public record RunConfig(
        String model, String task, int dModel, int nLayer, int stateSize, boolean tieEmbeddings,
        int seqLen, int vocab, int items,
        String optimizer, double lr, double minLrRatio, double weightDecay, double momentum, boolean nesterov,
        int preconditionFrequency, int maxBlockSize,
        int warmup, int steps, int batchSize, double clip, long seed,
        int evalInterval, int evalBatches, int logInterval, Double target, Double maxSeconds, String backend,
        String evaluation, String learning, double rateReg, double targetRate,
        double damping, double newtonTolerance, int newtonIterations) {

    public RunConfig {
        if (evaluation == null) evaluation = Evaluations.SEQUENTIAL;   // runs saved before the key existed
        Evaluations.check(evaluation);
        if (steps < 1 || batchSize < 1) throw new IllegalArgumentException("steps and batch_size must be >= 1, got " + steps + ", " + batchSize);
        if (warmup < 0) throw new IllegalArgumentException("warmup must be >= 0, got " + warmup);
        if (evalInterval < 1 || evalBatches < 1 || logInterval < 1)
            throw new IllegalArgumentException("eval_interval, eval_batches and log_interval must be >= 1, got " + evalInterval + ", " + evalBatches + ", " + logInterval);
        if (!(lr > 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("lr must be finite and > 0, got " + lr);
        if (!(minLrRatio >= 0 && minLrRatio <= 1)) throw new IllegalArgumentException("min_lr_ratio must be in [0, 1], got " + minLrRatio);
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight_decay must be >= 0, got " + weightDecay);
        if (!(clip >= 0)) throw new IllegalArgumentException("clip must be >= 0 (0: no clipping), got " + clip);
        if (maxSeconds != null && !(maxSeconds > 0)) throw new IllegalArgumentException("max_seconds must be > 0 (or absent: no limit), got " + maxSeconds);
        if (preconditionFrequency < 0 || maxBlockSize < 0)
            throw new IllegalArgumentException("precondition_frequency and max_block_size must be >= 0 (0: the optimizer's default), got "
                    + preconditionFrequency + ", " + maxBlockSize);
        if (seqLen < 0 || vocab < 0 || items < 0) throw new IllegalArgumentException("seq_len, vocab and items must be >= 0 (0: the task's default)");
        // Runs saved before learning rules existed trained with BPTT.
        if (learning == null) learning = LearningRule.BPTT.name();
        LearningRule rule = LearningRule.parse(learning);
        new RateRegularizer(rateReg, targetRate);   // checks both are >= 0
        if (!(damping >= 0) || !(newtonTolerance >= 0) || newtonIterations < 0 || Double.isInfinite(damping))
            throw new IllegalArgumentException("damping, newton_tolerance and newton_iterations must be finite and >= 0 (0: the solver's default), got "
                    + damping + ", " + newtonTolerance + ", " + newtonIterations);
        if (rateReg > 0 && !rule.eprop())
            throw new IllegalArgumentException("rate_reg regularises e-prop's firing rates: use it with --learning eprop-symmetric, eprop-random or eprop-adaptive, not " + learning);
    }

    /**
     * The run `recur train` makes without arguments: a small Mamba (d_model 64, 2 blocks, d_state 16)
     * that learns selective copying to over 95% validation accuracy on a laptop CPU in a few minutes.
     */
    /** The learning rule, parsed. */
    public LearningRule learningRule() { return LearningRule.parse(learning); }

    /** The firing-rate regulariser e-prop adds (coefficient 0: none). */
    public RateRegularizer rateRegularizer() { return rateReg > 0 ? new RateRegularizer(rateReg, targetRate) : RateRegularizer.NONE; }

    public static RunConfig defaults() {
        return new RunConfig("mamba", "selective-copying", 64, 2, 16, false,
                0, 0, 0,
                "adamw", 6e-3, 0.1, 0.0, 0.9, false,
                10, 1024,
                100, 2500, 32, 1.0, 1,
                100, 8, 10, null, null, "auto",
                Evaluations.SEQUENTIAL, LearningRule.BPTT.name(), 0, 10,
                0, 0, 0);
    }
}
