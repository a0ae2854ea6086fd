package io.recur.backend.cpu;

import java.util.function.IntFunction;

/**
 * A work-efficient parallel scan of many independent sequences under an associative operator,
 * over all cores. Linear recurrences (diagonal or dense) are its instances.
 *
 * <p>When there are enough rows for every core, each row is scanned sequentially, rows in
 * parallel: n operator applications, the least work there is. With few rows and long sequences,
 * each row is cut into chunks and scanned in three phases (reduce, then scan):
 * <ol>
 * <li>in parallel, each chunk's aggregate (the operator composed over its steps);</li>
 * <li>sequentially over the few chunks, the state entering each chunk;</li>
 * <li>in parallel, each chunk scanned from its entering state, writing the outputs.</li>
 * </ol>
 * A row's last chunk needs no aggregate, so phase 1 skips it. The chunked form costs an extra
 * reduce pass, so it is chosen only when the cores it brings in pay for that (see
 * {@link #chunksPerRow}).
 */
final class AssociativeScan {
    /** Shorter chunks would spend more on hand-offs than on the scan itself. */
    static final int MIN_CHUNK = 4096;

    /**
     * The scan of one sequence, with steps numbered 0 … length-1 in scan order.
     *
     * @param <S> the carried state (e.g. the hidden state h)
     * @param <A> the aggregate of a run of steps (e.g. the composed pair (a, b))
     */
    interface Sequence<S, A> {
        /** The state before step 0. */
        S initial();

        /** The operator composed over steps [from, to). */
        A reduce(int from, int to);

        /** The state after a run of steps with this aggregate, from the state before it. */
        S advance(S state, A aggregate);

        /** Runs steps [from, to) from the state before step from, writing their outputs. */
        void scan(S state, int from, int to);
    }

    private AssociativeScan() {}

    /**
     * Scans rows sequences of the given length, choosing the parallel form by
     * {@link #chunksPerRow}; reduceCost is the cost of one step of {@link Sequence#reduce}
     * relative to one step of {@link Sequence#scan}.
     */
    static <S, A> void run(int rows, int length, double reduceCost, IntFunction<Sequence<S, A>> sequence) {
        run(rows, length, chunksPerRow(rows, length, reduceCost, CpuParallel.THREADS), sequence);
    }

    /** Scans with a given number of chunks per row (1: sequential rows, in parallel over rows). */
    static <S, A> void run(int rows, int length, int chunks, IntFunction<Sequence<S, A>> sequence) {
        if (rows <= 0 || length <= 0) return;
        if (chunks <= 1) {
            CpuParallel.forRange(rows, length, (r0, r1) -> {
                for (int r = r0; r < r1; r++) {
                    Sequence<S, A> s = sequence.apply(r);
                    s.scan(s.initial(), 0, length);
                }
            });
            return;
        }
        int chunkLength = (length + chunks - 1) / chunks;
        int count = (length + chunkLength - 1) / chunkLength;   // rounding may leave fewer chunks
        @SuppressWarnings("unchecked")
        Sequence<S, A>[] seqs = new Sequence[rows];
        for (int r = 0; r < rows; r++) seqs[r] = sequence.apply(r);
        Object[] aggregates = new Object[rows * count];
        int reduced = count - 1;
        CpuParallel.forRange(rows * reduced, chunkLength, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                int r = i / reduced, c = i % reduced;
                aggregates[r * count + c] = seqs[r].reduce(c * chunkLength, (c + 1) * chunkLength);
            }
        });
        Object[] entering = new Object[rows * count];
        for (int r = 0; r < rows; r++) {
            S state = seqs[r].initial();
            entering[r * count] = state;
            for (int c = 1; c < count; c++) {
                @SuppressWarnings("unchecked") A agg = (A) aggregates[r * count + c - 1];
                state = seqs[r].advance(state, agg);
                entering[r * count + c] = state;
            }
        }
        CpuParallel.forRange(rows * count, chunkLength, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                int c = i % count;
                @SuppressWarnings("unchecked") S state = (S) entering[i];
                seqs[i / count].scan(state, c * chunkLength, Math.min(length, (c + 1) * chunkLength));
            }
        });
    }

    /**
     * 1 (rows in parallel) when the rows occupy every thread or the sequences are short; otherwise
     * enough chunks per row to occupy every thread, if the estimated time, with the extra reduce
     * pass, is at least 10% below the row-parallel time.
     */
    static int chunksPerRow(int rows, int length, double reduceCost, int threads) {
        if (rows >= threads || length < 2 * MIN_CHUNK) return 1;
        int chunks = Math.min((threads + rows - 1) / rows, length / MIN_CHUNK);
        if (chunks < 2) return 1;
        double rowParallel = 1.0 / rows;
        double chunked = (1 + reduceCost * (chunks - 1) / chunks) / Math.min(threads, (long) rows * chunks);
        return chunked < 0.9 * rowParallel ? chunks : 1;
    }
}
