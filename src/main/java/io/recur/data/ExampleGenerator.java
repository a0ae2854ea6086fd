package io.recur.data;

/** Draws one random example of a synthetic task; everything random comes from the stream. */
public interface ExampleGenerator {
    TaskSpec spec();

    Example generate(RandomStream random);
}
