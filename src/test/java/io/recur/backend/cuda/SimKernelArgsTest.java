package io.recur.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.recur.backend.BinaryOp;
import io.recur.backend.ScalarOp;
import io.recur.tensor.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every kind of kernel argument reaches a real kernel intact through {@link SimKernelArgs}: pointers
 * and 64-bit counts (fill_f32), an int op code and a float (scalar_f32), and by-value int structs
 * followed by 64-bit arguments (sum_to_thread_f32), whose placement a wrong size would shift.
 */
class SimKernelArgsTest {
    private final SimDriver driver = new SimDriver(0, 1);

    @AfterEach
    void close() { driver.close(); }

    private CudaDriver.Function kernel(Kernel k) {
        return driver.function(driver.loadModule(k.module(), PtxInfo.load(k.module()).text()), k.entry());
    }

    @Test
    void pointerLongAndFloat() {
        long t = driver.allocate(4 * 7);
        driver.launch(kernel(Kernel.FILL), 1, 1, 1, 32, 1, 1, 0, new KernelArgs().pointer(t + 4).i64(5).f32(-2.5f));
        float[] back = new float[7];
        driver.copyToHost(t, back);
        assertArrayEquals(new float[] {0, -2.5f, -2.5f, -2.5f, -2.5f, -2.5f, 0}, back, "fill of elements 1..5 only");
        driver.free(t);
    }

    @Test
    void intOpCodeAndFloatScalar() {
        long x = driver.allocate(4 * 3), y = driver.allocate(4 * 3);
        driver.copyToDevice(new float[] {1, 2, 3}, x);
        driver.launch(kernel(Kernel.SCALAR), 1, 1, 1, 32, 1, 1, 0,
                new KernelArgs().i32(OpCodes.scalar(ScalarOp.MUL)).pointer(x).f32(0.5f).pointer(y).i64(3));
        float[] back = new float[3];
        driver.copyToHost(y, back);
        assertArrayEquals(new float[] {0.5f, 1, 1.5f}, back);
        driver.free(x);
        driver.free(y);
    }

    @Test
    void intStructsBetween64BitArguments() {
        Shape xShape = Shape.of(3, 4), outShape = Shape.of(3, 1);
        IndexLayout.SumPlan plan = IndexLayout.sumTo(xShape, outShape);
        long x = driver.allocate(4 * 12), out = driver.allocate(4 * 3);
        driver.copyToDevice(new float[] {1, 2, 3, 4, 10, 20, 30, 40, 100, 200, 300, 400}, x);
        driver.launch(kernel(Kernel.SUM_TO_THREAD), 1, 1, 1, 32, 1, 1, 0, new KernelArgs().pointer(x).pointer(out)
                .i64(plan.outputs()).intStruct(plan.kept()).intStruct(plan.reduced()).i64(plan.count()));
        float[] back = new float[3];
        driver.copyToHost(out, back);
        assertArrayEquals(new float[] {10, 100, 1000}, back);

        long a = driver.allocate(4 * 6), b = driver.allocate(4 * 3), c = driver.allocate(4 * 6);
        driver.copyToDevice(new float[] {1, 2, 3, 4, 5, 6}, a);
        driver.copyToDevice(new float[] {10, 20, 30}, b);
        driver.launch(kernel(Kernel.BINARY), 1, 1, 1, 32, 1, 1, 0, new KernelArgs().i32(OpCodes.binary(BinaryOp.ADD))
                .pointer(a).pointer(b).pointer(c).i64(6).intStruct(IndexLayout.binary(Shape.of(2, 3), Shape.of(3), Shape.of(2, 3))));
        float[] sum = new float[6];
        driver.copyToHost(c, sum);
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, sum, "a [2,3] + b [3] broadcast through the Layout struct");
        for (long p : new long[] {x, out, a, b, c}) driver.free(p);
    }
}
