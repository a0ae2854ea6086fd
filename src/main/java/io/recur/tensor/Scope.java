package io.recur.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Owns the tensors created on this thread while it is the innermost open scope, and closes them
 * when it closes (typically one scope per training step, one per model). Tensors made outside any
 * scope belong to nobody and must be closed by hand. Scopes nest; {@link #keep} hands a tensor to
 * the enclosing scope (or to the caller, if there is none).
 */
public final class Scope implements AutoCloseable {
    private static final ThreadLocal<ArrayDeque<Scope>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

    private final String name;
    private final Set<Tensor> owned = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Thread thread = Thread.currentThread();
    private boolean closed;

    private Scope(String name) { this.name = name; }

    /** Opens a scope that owns every tensor created on this thread until it (or an inner one) closes. */
    public static Scope open(String name) {
        Scope s = new Scope(name);
        STACK.get().push(s);
        return s;
    }

    /** The innermost open scope on this thread, or null. */
    public static Scope current() { return STACK.get().peek(); }

    static void adopt(Tensor t) {
        Scope s = STACK.get().peek();
        if (s != null) s.owned.add(t);
    }

    /** Removes t from whichever open scope on this thread owns it. */
    static void disown(Tensor t) {
        for (Scope s : STACK.get()) if (s.owned.remove(t)) return;
    }

    /** Moves t out of this scope into the enclosing one (or makes it unowned) and returns it. */
    public <T extends Tensor> T keep(T t) {
        if (!owned.remove(t)) throw new IllegalArgumentException(t + " is not owned by scope '" + name + "'");
        Scope parent = null;
        boolean seen = false;
        for (Scope s : STACK.get()) {
            if (seen) { parent = s; break; }
            if (s == this) seen = true;
        }
        if (parent != null) parent.owned.add(t);
        return t;
    }

    /** Makes t owned by this scope, taking it from whichever scope held it. */
    public <T extends Tensor> T own(T t) {
        disown(t);
        owned.add(t);
        return t;
    }

    public String name() { return name; }

    public int ownedCount() { return owned.size(); }

    @Override
    public void close() {
        if (closed) return;
        if (Thread.currentThread() != thread) throw new IllegalStateException("scope '" + name + "' closed on another thread");
        ArrayDeque<Scope> stack = STACK.get();
        if (stack.peek() != this) throw new IllegalStateException("scope '" + name + "' closed while an inner scope is still open");
        stack.pop();
        closed = true;
        List<Tensor> toClose = new ArrayList<>(owned);
        owned.clear();
        for (Tensor t : toClose) t.close();
    }
}
