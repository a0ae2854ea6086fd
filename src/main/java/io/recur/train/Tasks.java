package io.recur.train;

import io.recur.data.SyntheticTask;
import io.recur.data.Task;
import io.recur.data.mnist.MnistDigits;
import io.recur.data.mnist.SequentialMnist;
import io.recur.data.synthetic.AddingProblem;
import io.recur.data.synthetic.AssociativeRecall;
import io.recur.data.synthetic.EvidenceAccumulation;
import io.recur.data.synthetic.InductionHeads;
import io.recur.data.synthetic.Parity;
import io.recur.data.synthetic.SelectiveCopying;
import io.recur.data.synthetic.StoreRecall;
import io.recur.data.text.ByteLanguageModel;
import java.nio.file.Path;
import java.util.List;

/** Tasks by the names `recur train --task` takes, sized by a run's seq_len, vocab and items (0: the defaults below). */
public final class Tasks {
    public static final List<String> NAMES = List.of("selective-copying", "induction-heads", "mqar", "adding", "parity", "bytes:FILE", "smnist", "psmnist", "evidence", "store-recall");

    /**
     * Selective copying small enough to learn on a CPU in minutes: 8 tokens (from 6 symbols) at
     * random places among 64 positions. The Mamba paper's setting is --seq-len 4096 --vocab 16 --items 16.
     */
    public static final int COPY_LENGTH = 64, COPY_VOCAB = 8, COPY_ITEMS = 8;
    public static final int BYTES_LENGTH = 128;
    /** psMNIST's pixel order, fixed across runs so that results compare. */
    static final long PERMUTATION_SEED = 92_871;

    private Tasks() {}

    public static Task create(RunConfig c) {
        String name = c.task();
        if (name.startsWith("bytes:")) {
            String file = name.substring("bytes:".length());
            if (file.isEmpty()) throw new IllegalArgumentException("task bytes:FILE needs a file name, e.g. bytes:README.md");
            return ByteLanguageModel.fromFile(Path.of(file), or(c.seqLen(), BYTES_LENGTH), c.seed());
        }
        return switch (name) {
            case "selective-copying" -> synthetic(new SelectiveCopying(or(c.seqLen(), COPY_LENGTH), or(c.vocab(), COPY_VOCAB), or(c.items(), COPY_ITEMS)), c);
            case "induction-heads" -> {
                InductionHeads paper = InductionHeads.mambaPaper();
                yield synthetic(new InductionHeads(or(c.seqLen(), paper.length()), or(c.vocab(), paper.vocab())), c);
            }
            case "mqar" -> {
                AssociativeRecall z = AssociativeRecall.zoology();
                yield synthetic(new AssociativeRecall(or(c.seqLen(), z.length()), or(c.vocab(), z.vocab()), or(c.items(), z.pairs()), z.powerA(), z.randomFiller()), c);
            }
            case "adding" -> synthetic(new AddingProblem(or(c.seqLen(), AddingProblem.standard().length())), c);
            case "parity" -> synthetic(new Parity(or(c.seqLen(), Parity.standard().length())), c);
            case "evidence" -> synthetic(new EvidenceAccumulation(or(c.seqLen(), EvidenceAccumulation.PAPER_LENGTH)), c);
            case "store-recall" -> synthetic(new StoreRecall(or(c.seqLen(), StoreRecall.DEFAULT_LENGTH)), c);
            case "smnist" -> SequentialMnist.sequential(MnistDigits.load(MnistDigits.defaultDirectory()), or(c.seqLen(), MnistDigits.PIXELS), c.seed());
            case "psmnist" -> SequentialMnist.permuted(MnistDigits.load(MnistDigits.defaultDirectory()), PERMUTATION_SEED, or(c.seqLen(), MnistDigits.PIXELS), c.seed());
            default -> throw new IllegalArgumentException("unknown task '" + name + "': use one of " + String.join(", ", NAMES));
        };
    }

    private static Task synthetic(io.recur.data.ExampleGenerator generator, RunConfig c) { return new SyntheticTask(generator, c.seed()); }

    private static int or(int value, int fallback) { return value > 0 ? value : fallback; }
}
