package io.recur.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.Backend;
import io.recur.backend.Backends;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ownership of tensors by nested scopes on one thread; every test must close what it opens. */
class ScopeTest {
    private static final Backend CPU = Backends.cpu();
    private long openBefore;

    @BeforeEach
    void noScopeOpen() {
        assertNull(Scope.current(), "a scope left open by an earlier test");
        openBefore = MemoryTracker.openTensors();
    }

    @AfterEach
    void nothingLeaked() {
        assertNull(Scope.current(), "scope left open");
        assertEquals(openBefore, MemoryTracker.openTensors(), "open tensors");
    }

    private static Tensor tensor() { return CPU.zeros(Shape.of(2)); }

    @Test
    void closingAScopeClosesTheTensorsItOwns() {
        Tensor a, b;
        try (Scope scope = Scope.open("step")) {
            assertSame(scope, Scope.current());
            a = tensor();
            b = a.reshape(1, 2);
            assertEquals(2, scope.ownedCount());
            assertEquals("step", scope.name());
        }
        assertTrue(a.isClosed() && b.isClosed());
        assertNull(Scope.current());
    }

    @Test
    void innerScopesOwnWhatIsCreatedWhileTheyAreInnermost() {
        try (Scope outer = Scope.open("outer")) {
            Tensor before = tensor(), inside;
            try (Scope inner = Scope.open("inner")) {
                assertSame(inner, Scope.current());
                inside = tensor();
                assertEquals(1, inner.ownedCount());
            }
            assertSame(outer, Scope.current());
            assertTrue(inside.isClosed());
            assertFalse(before.isClosed());
            Tensor after = tensor();
            assertEquals(2, outer.ownedCount());
            assertFalse(after.isClosed());
        }
    }

    @Test
    void keepMovesATensorToTheEnclosingScope() {
        try (Scope outer = Scope.open("outer")) {
            Tensor kept;
            try (Scope inner = Scope.open("inner")) {
                kept = inner.keep(tensor());
                assertEquals(0, inner.ownedCount());
                assertEquals(1, outer.ownedCount());
                Tensor keptTwice = inner.keep(tensor());
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> inner.keep(keptTwice));
                assertTrue(e.getMessage().contains("'inner'"), e.getMessage());
            }
            assertFalse(kept.isClosed(), "kept survives the inner scope");
        }
    }

    @Test
    void keepFromTheOutermostScopeMakesTheTensorUnowned() {
        Tensor kept;
        try (Scope only = Scope.open("only")) {
            kept = only.keep(tensor());
            assertEquals(0, only.ownedCount());
        }
        assertFalse(kept.isClosed());
        kept.close();
    }

    @Test
    void ownTakesATensorFromWhicheverScopeHeldIt() {
        Tensor unowned = tensor();
        try (Scope outer = Scope.open("outer")) {
            Tensor fromOuter = tensor();
            try (Scope inner = Scope.open("inner")) {
                inner.own(fromOuter);
                inner.own(unowned);
                assertEquals(0, outer.ownedCount());
                assertEquals(2, inner.ownedCount());
            }
            assertTrue(fromOuter.isClosed() && unowned.isClosed());
        }
    }

    @Test
    void tensorsCreatedWithoutAScopeBelongToNobody() {
        Tensor t = tensor();
        try (Scope later = Scope.open("later")) {
            assertEquals(0, later.ownedCount());
        }
        assertFalse(t.isClosed());
        t.close();
    }

    @Test
    void closingAnOuterScopeWhileAnInnerIsOpenIsAnError() {
        Scope outer = Scope.open("outer");
        Scope inner = Scope.open("inner");
        Tensor t = tensor();
        IllegalStateException e = assertThrows(IllegalStateException.class, outer::close);
        assertTrue(e.getMessage().contains("'outer'") && e.getMessage().contains("inner scope"), e.getMessage());
        assertFalse(t.isClosed());
        inner.close();
        outer.close();
        outer.close();   // closing twice is harmless
        assertTrue(t.isClosed());
    }

    @Test
    void aScopeClosedOnAnotherThreadIsAnError() throws Exception {
        try (Scope scope = Scope.open("main thread")) {
            Throwable error = CompletableFuture.runAsync(scope::close).handle((ok, t) -> t).get();
            assertTrue(error != null && error.getCause() instanceof IllegalStateException, String.valueOf(error));
            assertTrue(error.getCause().getMessage().contains("another thread"), error.getCause().getMessage());
            assertSame(scope, Scope.current(), "still open on its own thread");
        }
    }
}
