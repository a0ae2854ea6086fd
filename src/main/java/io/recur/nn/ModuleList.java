package io.recur.nn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** torch.nn.ModuleList: submodules named "0", "1", … in order. */
public final class ModuleList<M extends Module> extends Module implements Iterable<M> {
    private final List<M> items = new ArrayList<>();

    public ModuleList(List<M> modules) { modules.forEach(this::add); }

    public void add(M module) { items.add(child(Integer.toString(items.size()), module)); }

    public M get(int i) { return items.get(i); }

    public int size() { return items.size(); }

    @Override public Iterator<M> iterator() { return List.copyOf(items).iterator(); }
}
