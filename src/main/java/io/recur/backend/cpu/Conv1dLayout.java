package io.recur.backend.cpu;

/**
 * Where element (b, c, t) of a causal conv1d's tensors lives in either layout, and the element
 * arithmetic every pass shares. Channels-last: x (batch, length, channels), weight (W, channels),
 * state (batch, W-1, channels); channels-first: x (batch, channels, length), weight (channels, W),
 * state (batch, channels, W-1). Offsets of the tensors are added by the caller.
 */
record Conv1dLayout(int batch, int channels, int length, int width, boolean channelsLast) {

    int x(int b, int c, int t) {
        return channelsLast ? (b * length + t) * channels + c : (b * channels + c) * length + t;
    }

    int weight(int c, int k) { return channelsLast ? k * channels + c : c * width + k; }

    /** Element i (0 … W-2, oldest first) of the carried state. */
    int state(int b, int c, int i) {
        int n = width - 1;
        return channelsLast ? (b * n + i) * channels + c : (b * channels + c) * n + i;
    }

    /** The memory-order loop: the number of (b, outer) lines and their length (the contiguous axis). */
    int lines() { return batch * (channelsLast ? length : channels); }

    int lineLength() { return channelsLast ? channels : length; }

    int b(int line) { return line / (channelsLast ? length : channels); }

    /** Channel and time of position j on a line. */
    int channel(int line, int j) { return channelsLast ? j : line % channels; }

    int time(int line, int j) { return channelsLast ? line % length : j; }
}
