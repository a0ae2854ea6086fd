package io.recur.backend.cuda;

import java.util.ArrayList;
import java.util.List;

/**
 * Speed of the kernel simulator through the Java driver: native/test-kernels/speed.cu (1024 blocks of
 * 256 threads, four barriers and ten shuffles per thread) with one worker and with all cores,
 * seconds per launch as the median of timed launches after a warm-up one. A plain main, not JMH:
 * one launch takes seconds. Usage: SimulatorSpeed [launches=5].
 */
public final class SimulatorSpeed {
    private static final int BLOCKS = 1024, THREADS = 256;

    public static void main(String[] args) {
        int launches = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf("simulator speed: speed kernel, %d blocks x %d threads (%,d fibers), %d cores%n",
                BLOCKS, THREADS, BLOCKS * THREADS, cores);
        for (int workers : new int[] {1, 0}) {
            double s = secondsPerLaunch(workers, launches);
            System.out.printf("workers=%-4s %.3f s per launch, %.2f M threads/s%n", workers == 0 ? "all" : workers, s,
                    BLOCKS * THREADS / s / 1e6);
        }
    }

    private static double secondsPerLaunch(int workers, int launches) {
        try (SimDriver driver = new SimDriver(0, workers)) {
            long x = driver.allocate(4L * BLOCKS * THREADS), out = driver.allocate(4L * BLOCKS);
            float[] ones = new float[BLOCKS * THREADS];
            java.util.Arrays.fill(ones, 1f);
            driver.copyToDevice(ones, x);
            CudaDriver.Function speed = driver.function(driver.testModule("speed"), "speed");
            KernelArgs kernelArgs = new KernelArgs().pointer(x).pointer(out);
            driver.launch(speed, BLOCKS, 1, 1, THREADS, 1, 1, 0, kernelArgs);  // warm-up: maps the fiber stacks
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < launches; i++) {
                long t0 = System.nanoTime();
                driver.launch(speed, BLOCKS, 1, 1, THREADS, 1, 1, 0, kernelArgs);
                times.add((System.nanoTime() - t0) / 1e9);
            }
            float[] sums = new float[BLOCKS];
            driver.copyToHost(out, sums);
            for (float s : sums) if (s != THREADS) throw new IllegalStateException("speed kernel computed " + s + ", not " + THREADS);
            times.sort(null);
            return times.get(times.size() / 2);
        }
    }
}
