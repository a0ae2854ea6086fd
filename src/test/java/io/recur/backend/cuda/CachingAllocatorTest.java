package io.recur.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.MemoryStats;
import org.junit.jupiter.api.Test;

class CachingAllocatorTest {
    @Test
    void sizeClassesRoundTo512BytesThenToQuartersOfPowersOfTwo() {
        assertEquals(512, CachingAllocator.sizeClass(0));
        assertEquals(512, CachingAllocator.sizeClass(1));
        assertEquals(512, CachingAllocator.sizeClass(512));
        assertEquals(1024, CachingAllocator.sizeClass(513));
        assertEquals(1 << 20, CachingAllocator.sizeClass((1 << 20) - 100));
        assertEquals((1 << 20) + (1 << 18), CachingAllocator.sizeClass((1 << 20) + 1));
        assertEquals(3L << 29, CachingAllocator.sizeClass((5L << 28) + 1));  // 1.25 GiB + 1 -> 1.5 GiB
        for (long b = 1; b < (1L << 34); b = b * 3 + 7) {
            long c = CachingAllocator.sizeClass(b);
            assertTrue(c >= b && c % 512 == 0, "class " + c + " for " + b);
            assertTrue(b <= 512 || c <= b + b / 4 + 512, "at most a quarter wasted: " + c + " for " + b);
        }
    }

    @Test
    void freedBlocksAreReusedWithinTheirClass() {
        FakeDriver driver = new FakeDriver(1L << 30);
        CachingAllocator alloc = new CachingAllocator(driver);
        long a = alloc.allocate(1000);
        alloc.free(a);
        assertEquals(a, alloc.allocate(900), "same 1024-byte class: the cached block comes back");
        long b = alloc.allocate(5000);
        assertNotEquals(a, b);
        assertEquals(2, driver.allocations);
        MemoryStats s = alloc.stats();
        assertEquals(1024 + 5120, s.liveBytes());
        assertEquals(2, s.liveStorages());
        assertEquals(0, s.cachedBytes());
        assertEquals(3, s.requests());
        assertEquals(2, s.systemAllocations());
    }

    @Test
    void statisticsTrackLiveCachedAndPeak() {
        FakeDriver driver = new FakeDriver(1L << 30);
        CachingAllocator alloc = new CachingAllocator(driver);
        long a = alloc.allocate(2 << 20), b = alloc.allocate(512);
        alloc.free(a);
        MemoryStats s = alloc.stats();
        assertEquals(512, s.liveBytes());
        assertEquals(1, s.liveStorages());
        assertEquals(2 << 20, s.cachedBytes());
        assertEquals((2 << 20) + 512, s.peakBytes());
        alloc.free(b);
        alloc.emptyCache();
        s = alloc.stats();
        assertEquals(0, s.cachedBytes());
        assertEquals(0, s.liveBytes());
        assertEquals((2 << 20) + 512, s.peakBytes(), "peak survives emptyCache");
        assertEquals(0, driver.used(), "emptyCache gives everything back");
        assertEquals(2, driver.frees);
    }

    @Test
    void outOfMemoryEmptiesTheCacheAndRetries() {
        FakeDriver driver = new FakeDriver(4 << 20);
        CachingAllocator alloc = new CachingAllocator(driver);
        long a = alloc.allocate(3 << 20);
        alloc.free(a);                        // 3 MiB cached in its class
        long b = alloc.allocate(2 << 20);     // another class: needs the cache emptied first
        assertEquals(1, driver.blocks.size());
        assertEquals(0, alloc.stats().cachedBytes());
        CudaDriverException e = assertThrows(CudaDriverException.class, () -> alloc.allocate(3 << 20));
        assertTrue(e.isOutOfMemory() && e.getMessage().contains("out of device memory"), e.getMessage());
        alloc.free(b);
    }

    @Test
    void doubleFreeIsReported() {
        CachingAllocator alloc = new CachingAllocator(new FakeDriver(1 << 20));
        long a = alloc.allocate(10);
        alloc.free(a);
        assertThrows(IllegalStateException.class, () -> alloc.free(a));
    }
}
