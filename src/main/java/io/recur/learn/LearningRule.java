package io.recur.learn;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How a run computes its gradients: BPTT through the autograd tape, or e-prop with one of its
 * {@link Feedback} kinds. Named as `recur train --learning` takes them.
 */
public record LearningRule(String name, Feedback feedback) {
    public static final LearningRule BPTT = new LearningRule("bptt", null);
    public static final List<String> NAMES = List.of("bptt", "eprop-symmetric", "eprop-random", "eprop-adaptive");

    public boolean eprop() { return feedback != null; }

    public static LearningRule parse(String name) {
        String key = name == null ? "bptt" : name.toLowerCase(Locale.ROOT);
        if (key.equals("bptt")) return BPTT;
        for (Feedback f : Feedback.values())
            if (key.equals("eprop-" + f.cliName())) return new LearningRule(key, f);
        throw new IllegalArgumentException("unknown learning rule '" + name + "': use one of " + String.join(", ", NAMES)
                + " (" + Arrays.toString(Feedback.values()).toLowerCase(Locale.ROOT) + " feedback for e-prop)");
    }
}
